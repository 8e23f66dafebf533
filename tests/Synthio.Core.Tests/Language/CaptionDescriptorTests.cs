using Synthio.Audio;
using Synthio.Captioning;
using Synthio.Language;

namespace Synthio.Core.Tests.Language;

/// <summary>The descriptor measurement and captioner on signals whose properties are known by construction.</summary>
public class CaptionDescriptorTests
{
    private const int Rate = 16000;

    private static AudioBuffer Tone(double hz, double seconds = 2, double amplitude = 0.3) =>
        new(Enumerable.Range(0, (int)(seconds * Rate)).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / Rate))).ToArray(), Rate);

    private static AudioBuffer Noise(double seconds = 2, double amplitude = 0.3, int seed = 1)
    {
        var random = new Random(seed);
        return new AudioBuffer(Enumerable.Range(0, (int)(seconds * Rate)).Select(_ => (float)(amplitude * ((random.NextDouble() * 2) - 1))).ToArray(), Rate);
    }

    private static AudioBuffer Clicks(double perSecond, double seconds = 4)
    {
        var samples = new float[(int)(seconds * Rate)];
        var random = new Random(3);
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(0.0005 * ((random.NextDouble() * 2) - 1));
        }

        var period = (int)(Rate / perSecond);
        for (var start = period / 2; start < samples.Length; start += period)
        {
            for (var k = 0; k < 160 && start + k < samples.Length; k++)
            {
                samples[start + k] += (float)(0.6 * Math.Exp(-k / 25.0) * ((random.NextDouble() * 2) - 1));
            }
        }

        return new AudioBuffer(samples, Rate);
    }

    [Theory]
    [InlineData(220, "220")]
    [InlineData(440, "440")]
    [InlineData(900, "900")]
    public void AToneIsPitchedAtItsFrequency(double hz, string worded)
    {
        var d = AcousticDescriptors.Measure(Tone(hz));
        Assert.True(d.Harmonicity > 0.8, $"harmonicity {d.Harmonicity}");
        Assert.InRange(d.PitchHz, hz * 0.97, hz * 1.03);
        Assert.True(d.Flatness < 0.1, $"flatness {d.Flatness}");

        var caption = DescriptorCaptioner.Describe(d);
        Assert.Contains($"around {worded} Hz", caption);
    }

    [Fact]
    public void WhiteNoiseIsUnpitchedFlatAndBright()
    {
        var d = AcousticDescriptors.Measure(Noise());
        Assert.True(d.VoicedFraction < 0.2, $"voiced {d.VoicedFraction}");
        Assert.True(d.Flatness > 0.5, $"flatness {d.Flatness}");
        Assert.True(d.CentroidHz > 3000, $"centroid {d.CentroidHz}");

        var caption = DescriptorCaptioner.Describe(d);
        Assert.DoesNotContain(" Hz", caption);
        Assert.Contains(CaptionGrammar.Parse("x", caption).Events[0], caption.ToLowerInvariant());
    }

    [Fact]
    public void RegularClicksAreImpulsiveAndTheirRateIsFound()
    {
        var d = AcousticDescriptors.Measure(Clicks(4));
        Assert.InRange(d.OnsetCount, 13, 17);
        Assert.InRange(d.RepetitionPeriodSeconds, 0.23, 0.27);

        var caption = DescriptorCaptioner.Describe(d);
        Assert.Contains("repeating about 4 times per second", caption);
        Assert.Contains("in near silence", caption);
    }

    [Fact]
    public void LoudnessAndDurationAreWordedFromTheMeasurement()
    {
        var loud = DescriptorCaptioner.Describe(AcousticDescriptors.Measure(Noise(amplitude: 0.9)));
        var faint = DescriptorCaptioner.Describe(AcousticDescriptors.Measure(Noise(amplitude: 0.002)));
        var shortClip = DescriptorCaptioner.Describe(AcousticDescriptors.Measure(Tone(440, seconds: 0.5)));

        Assert.Contains("loud", loud.ToLowerInvariant());
        Assert.StartsWith("Faint", faint.Replace("A faint", "Faint", StringComparison.Ordinal));
        Assert.Contains("lasting under a second", shortClip);
        Assert.Contains("lasting about 2 seconds", loud);
    }

    [Fact]
    public async Task DifferentSoundsGetDifferentCaptionsAndTheIdentityIsVersioned()
    {
        var captioner = new DescriptorCaptioner();
        var captions = new[]
        {
            await captioner.CaptionAsync(Tone(300)),
            await captioner.CaptionAsync(Tone(1200)),
            await captioner.CaptionAsync(Noise()),
            await captioner.CaptionAsync(Clicks(3)),
        };
        Assert.Equal(captions.Length, captions.Distinct().Count());
        Assert.Equal($"descriptor-captioner/{DescriptorCaptioner.Version}", captioner.Identity);
    }
}
