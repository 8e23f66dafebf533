using System.Diagnostics;
using Synthio.Audio;
using Synthio.Generation;
using Synthio.Language;
using Xunit.Abstractions;

namespace Synthio.Core.Tests;

public class GeneratorTests : IClassFixture<GenerationTestMaterial>
{
    private readonly GenerationTestMaterial _material;
    private readonly ITestOutputHelper _output;

    public GeneratorTests(GenerationTestMaterial material, ITestOutputHelper output)
    {
        _material = material;
        _output = output;
    }

    private static GenerationRequest Request(string label, string caption, int seed, double seconds = 5.0) =>
        new(label, caption, SoundComponents.Empty, seconds, seed);

    [Fact]
    public void SameCaptionAndSeedGiveTheSameClip()
    {
        var generator = new EmbeddedGenerator(_material.Training);
        var again = new EmbeddedGenerator(_material.Training);
        foreach (var label in _material.Labels)
        {
            var a = generator.Generate(Request(label, $"a {label} repeated in a large hall", 7));
            var b = again.Generate(Request(label, $"a {label} repeated in a large hall", 7));
            Assert.Equal(a.Audio.Samples, b.Audio.Samples);
            Assert.Equal(a.SourceIds, b.SourceIds);

            var otherSeed = generator.Generate(Request(label, $"a {label} repeated in a large hall", 8));
            var otherCaption = generator.Generate(Request(label, $"a distant {label}", 7));
            Assert.NotEqual(a.Audio.Samples, otherSeed.Audio.Samples);
            Assert.NotEqual(a.Audio.Samples, otherCaption.Audio.Samples);
        }
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(2.37)]
    [InlineData(9.0)]
    public void OutputHasTheRequestedDurationAndAUsableLevel(double seconds)
    {
        var generator = new EmbeddedGenerator(_material.Training);
        foreach (var label in _material.Labels)
        {
            var clip = generator.Generate(Request(label, $"{label} with faint rain in the background", 3, seconds));
            Assert.Equal(generator.SampleRate, clip.Audio.SampleRate);
            Assert.Equal((int)Math.Round(seconds * generator.SampleRate), clip.Audio.Length);
            Assert.All(clip.Audio.Samples, s => Assert.True(float.IsFinite(s) && Math.Abs(s) <= 1f));
            var rms = Math.Sqrt(clip.Audio.Samples.Average(s => (double)s * s));
            Assert.InRange(rms, 1e-4, 0.7);
        }
    }

    [Fact]
    public void SourcesAreTheLabelsOwnClips()
    {
        var generator = new EmbeddedGenerator(_material.Training);
        foreach (var label in _material.Labels)
        {
            var ids = _material.Training[label].Select(c => c.Id).ToHashSet();
            for (var seed = 0; seed < 5; seed++)
            {
                var clip = generator.Generate(Request(label, $"several {label} sounds", seed));
                Assert.NotEmpty(clip.SourceIds);
                Assert.All(clip.SourceIds, id => Assert.Contains(id, ids));
                Assert.Equal(clip.SourceIds.Count, clip.SourceIds.Distinct().Count());
            }
        }
    }

    [Fact]
    public void IdentityChangesWithMaterialAndParameters()
    {
        var generator = new EmbeddedGenerator(_material.Training);
        var tuned = generator.WithParameters(GeneratorParameters.Default with { PitchSemitones = 5 });
        var fewer = new EmbeddedGenerator(_material.Training.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<GoldClip>)kv.Value.Take(4).ToArray()));
        Assert.StartsWith("embedded-generator/", generator.Identity, StringComparison.Ordinal);
        Assert.Equal(generator.Identity, new EmbeddedGenerator(_material.Training).Identity);
        Assert.NotEqual(generator.Identity, tuned.Identity);
        Assert.NotEqual(generator.Identity, fewer.Identity);
        Assert.Equal(generator.Identity.Split('/')[2], tuned.Identity.Split('/')[2]);
    }

    [Fact]
    public void MuffledAndDistantCaptionsDarkenTheSound()
    {
        var generator = new EmbeddedGenerator(_material.Training);
        double plain = 0, muffled = 0, distant = 0;
        var count = 0;
        foreach (var label in _material.Labels)
        {
            for (var seed = 0; seed < 3; seed++)
            {
                plain += Centroid(generator.Generate(Request(label, $"a {label} up close", seed)).Audio);
                muffled += Centroid(generator.Generate(Request(label, $"a muffled {label}", seed)).Audio);
                distant += Centroid(generator.Generate(Request(label, $"a distant {label}", seed)).Audio);
                count++;
            }
        }

        _output.WriteLine($"mean spectral centroid proxy: plain {plain / count:F0} Hz, muffled {muffled / count:F0} Hz, distant {distant / count:F0} Hz");
        Assert.True(muffled < plain * 0.6, "muffled clips should be much darker");
        Assert.True(distant < plain * 0.85, "distant clips should be darker");
    }

    [Fact]
    public void RepetitionWordsSetTheNumberOfPlacedEvents()
    {
        // Clean material: short tone bursts over faint noise, so every placed event is detectable.
        var material = new Dictionary<string, IReadOnlyList<GoldClip>>
        {
            ["beep"] = Enumerable.Range(0, 3).Select(i => new GoldClip($"beep-{i}", SegmentTests.Bursts(16000, 5.0, [0.5 + i, 3.0], 0.15, 800 + (100 * i)))).ToArray(),
        };
        var generator = new EmbeddedGenerator(material, GeneratorParameters.Default with { ReverbChance = 0, FilterChance = 0, SnrMinDb = 30, SnrMaxDb = 35 });
        var singles = new List<int>();
        var repeats = new List<int>();
        var twice = new List<int>();
        for (var seed = 0; seed < 6; seed++)
        {
            singles.Add(EventSegmenter.Analyse(generator.Generate(Request("beep", "a single beep", seed)).Audio).Events.Count);
            twice.Add(EventSegmenter.Analyse(generator.Generate(Request("beep", "a beep sounding twice", seed)).Audio).Events.Count);
            repeats.Add(EventSegmenter.Analyse(generator.Generate(Request("beep", "a beep repeated", seed)).Audio).Events.Count);
        }

        _output.WriteLine($"detected events — single: {string.Join(",", singles)}; twice: {string.Join(",", twice)}; repeated: {string.Join(",", repeats)}");
        Assert.All(singles, n => Assert.Equal(1, n));
        Assert.All(twice, n => Assert.Equal(2, n));
        Assert.All(repeats, n => Assert.InRange(n, 3, 10));
    }

    [Fact]
    public void GenerationIsFarFasterThanRealTime()
    {
        var generator = new EmbeddedGenerator(_material.Training);
        string[] captions = ["a {0} repeated in a large hall", "a distant {0} with faint rain in the background", "a muffled {0}", "{0} outdoors with traffic"];
        foreach (var label in _material.Labels)
        {
            generator.Generate(Request(label, "warm-up " + label, 0));
        }

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        double audioSeconds = 0;
        var seed = 0;
        foreach (var label in _material.Labels)
        {
            foreach (var caption in captions)
            {
                audioSeconds += generator.Generate(Request(label, string.Format(System.Globalization.CultureInfo.InvariantCulture, caption, label), seed++)).Audio.DurationSeconds;
            }
        }

        // Wall time suffers from whatever else the machine runs; process CPU time (which also counts the
        // runtime's own threads) is the fairer single-core figure. Both are printed, neither asserted.
        var wall = stopwatch.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        _output.WriteLine($"generated {audioSeconds:F0} s of audio on one thread: wall {wall * 1000:F0} ms ({audioSeconds / wall:F0}x real time), process CPU {cpu * 1000:F0} ms ({audioSeconds / Math.Max(cpu, 1e-9):F0}x real time)");
        Assert.True(audioSeconds > 0);
    }

    /// <summary>Spectral centroid estimate from zero-crossing rate (cheap and monotone in brightness).</summary>
    private static double Centroid(AudioBuffer audio)
    {
        var crossings = 0;
        for (var i = 1; i < audio.Length; i++)
        {
            if ((audio.Samples[i] >= 0) != (audio.Samples[i - 1] >= 0))
            {
                crossings++;
            }
        }

        return crossings / (2.0 * audio.DurationSeconds);
    }
}
