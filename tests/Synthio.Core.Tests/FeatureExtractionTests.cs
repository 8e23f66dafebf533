using Synthio.Audio;
using Synthio.Features;
using Synthio.Tests;
using static Synthio.Core.Tests.AudioTestSignals;

namespace Synthio.Core.Tests;

public class FeatureExtractionTests
{
    private static readonly SpectralFrameAnalyzer Analyzer = new();

    private static double TrackMean(FrameFeatureMatrix m, int track)
    {
        var values = m.Track(track);
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    [Theory]
    [InlineData(500.0)]
    [InlineData(1000.0)]
    [InlineData(3000.0)]
    public void SineCentroidRolloffAndZeroCrossingsFollowItsFrequency(double hz)
    {
        var m = Analyzer.Analyze(Sine(hz, 16000, 1.0));
        var s = Analyzer.ScalarTrack;
        var binKhz = 16.0 / Analyzer.FftSize;
        Assert.Equal(hz / 1000, TrackMean(m, s), 0.01 * hz / 1000); // centroid (kHz)
        Assert.True(TrackMean(m, s + 1) < 2 * binKhz, "a pure tone has almost no spectral spread");
        Assert.Equal(hz / 1000, TrackMean(m, s + 2), 1.01 * binKhz); // roll-off at the tone's bin
        Assert.True(TrackMean(m, s + 3) < 1e-3, "a sine is not flat");
        Assert.Equal(2 * hz / 16000, TrackMean(m, s + 4), 0.01 * 2 * hz / 16000); // zero crossings per sample
    }

    [Fact]
    public void RmsLevelIsTheSineAmplitudeInDecibels()
    {
        var m = Analyzer.Analyze(Sine(1000, 16000, 0.5, amplitude: 0.5));
        Assert.Equal(20 * Math.Log10(0.5 / Math.Sqrt(2)), TrackMean(m, Analyzer.ScalarTrack + 5), 0.05);
    }

    [Fact]
    public void WhiteNoiseIsFlatAndBroad()
    {
        var m = Analyzer.Analyze(WhiteNoise(16000, 1.0, seed: 1));
        var s = Analyzer.ScalarTrack;
        Assert.InRange(TrackMean(m, s + 3), 0.4, 0.7); // flatness of white noise through a Hann window ≈ e^−γ ≈ 0.56
        Assert.InRange(TrackMean(m, s), 3.6, 4.4); // centroid near the middle of 0–8 kHz
        Assert.InRange(TrackMean(m, s + 4), 0.45, 0.55); // half the samples change sign
    }

    [Fact]
    public void LogMelAgreesWithNWavesMelFilterBank()
    {
        // Independent reference: NWaves' HTK mel bands and triangular weights applied to the same power spectrum.
        var rng = new Random(3);
        var x = Enumerable.Range(0, 4000).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var m = Analyzer.Analyze(new AudioBuffer(x, 16000));
        var bank = NWaves.Filters.Fda.FilterBanks.Triangular(512, 16000, NWaves.Filters.Fda.FilterBanks.MelBands(40, 16000, 0, 8000));
        foreach (var f in new[] { 0, 3, 20 })
        {
            var frame = new float[512];
            for (var n = 0; n < 400; n++)
            {
                frame[n] = x[(f * 160) + n] * (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * n / 400)));
            }

            var power = new float[257];
            FftPlan.Get(512).PowerSpectrum(frame, power, new float[1026]);
            var mel = new float[40];
            NWaves.Filters.Fda.FilterBanks.Apply(bank, power, mel);
            for (var b = 0; b < 40; b++)
            {
                Assert.Equal(Math.Log(mel[b]), m.Track(b)[f], 1e-4);
            }
        }
    }

    [Fact]
    public void StrongestMelBandContainsTheTone()
    {
        var settings = FeatureSettings.Default;
        var m = Analyzer.Analyze(Sine(700, 16000, 0.5));
        var best = Enumerable.Range(0, settings.MelBands).MaxBy(b => TrackMean(m, b));

        // Band b spans mel edges b … b+2 of MelBands+1 equal steps from 0 to mel(8 kHz).
        static double Mel(double hz) => 2595 * Math.Log10(1 + (hz / 700));
        var step = Mel(8000) / (settings.MelBands + 1);
        Assert.InRange(Mel(700), best * step, (best + 2) * step);
    }

    [Fact]
    public void ScalingAmplitudeOnlyMovesTheZerothCepstralCoefficient()
    {
        // Power scales by a², so every log-mel band moves by 2·ln a; the orthonormal DCT turns a constant
        // shift into c0 += 2·ln a·√M and leaves every other coefficient unchanged.
        var tone = Harmonic(220, 16000, 0.5);
        var noise = WhiteNoise(16000, 0.5, seed: 8, amplitude: 0.02);
        var clip = tone.Samples.Zip(noise.Samples, (a, b) => a + b).ToArray();
        var quiet = Analyzer.Analyze(new AudioBuffer(clip, 16000));
        var loud = Analyzer.Analyze(new AudioBuffer(clip.Select(s => s * 3f).ToArray(), 16000));
        var bands = FeatureSettings.Default.MelBands;
        var shift = 2 * Math.Log(3);
        for (var b = 0; b < bands; b++)
        {
            Assert.Equal(TrackMean(quiet, b) + shift, TrackMean(loud, b), 1e-3);
        }

        Assert.Equal(TrackMean(quiet, Analyzer.MfccTrack) + (shift * Math.Sqrt(bands)), TrackMean(loud, Analyzer.MfccTrack), 1e-2);
        for (var k = 1; k < FeatureSettings.Default.MfccCount; k++)
        {
            Assert.Equal(TrackMean(quiet, Analyzer.MfccTrack + k), TrackMean(loud, Analyzer.MfccTrack + k), 1e-3);
        }
    }

    [Fact]
    public void BrighterSoundHasLowerFirstCepstralCoefficient()
    {
        // c1 weighs low bands positively and high bands negatively: energy moving up lowers it.
        var low = Analyzer.Analyze(Sine(300, 16000, 0.5));
        var high = Analyzer.Analyze(Sine(5000, 16000, 0.5));
        Assert.True(TrackMean(high, Analyzer.MfccTrack + 1) < TrackMean(low, Analyzer.MfccTrack + 1));
    }

    [Fact]
    public void DeltasOfASteadyToneAreNearZeroAndOfAGlideAreNot()
    {
        var analyzer = new SpectralFrameAnalyzer(FeatureSettings.Default with { IncludeDeltas = true });
        var steady = analyzer.Analyze(Sine(1000, 16000, 0.5));
        var glide = new float[8000];
        double phase = 0;
        for (var i = 0; i < glide.Length; i++)
        {
            phase += 2 * Math.PI * (200 + (6000.0 * i / glide.Length)) / 16000;
            glide[i] = (float)(0.5 * Math.Sin(phase));
        }

        var gliding = analyzer.Analyze(new AudioBuffer(glide, 16000));
        double SpreadOfDeltas(FrameFeatureMatrix m) =>
            Enumerable.Range(analyzer.DeltaTrack, FeatureSettings.Default.MfccCount).Sum(t => m.Track(t).ToArray().Select(Math.Abs).Average());
        Assert.True(SpreadOfDeltas(steady) < 0.05 * SpreadOfDeltas(gliding), $"{SpreadOfDeltas(steady)} vs {SpreadOfDeltas(gliding)}");
    }

    [Fact]
    public void EmbeddingHasTheAdvertisedLengthAndIsDeterministic()
    {
        var embedder = new SpectralStatisticsEmbedder();
        Assert.Equal(210, embedder.Dimension);
        var clip = WavFile.ReadMono(Directory.EnumerateFiles(TestPaths.Esc10, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());
        var first = embedder.Embed(clip);
        Assert.Equal(embedder.Dimension, first.Length);
        Assert.All(first, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(first, embedder.Embed(clip));
        Assert.Equal(first, new SpectralStatisticsEmbedder().Embed(clip));

        var withDeltas = new SpectralStatisticsEmbedder(FeatureSettings.Default with { IncludeDeltas = true });
        Assert.Equal(250, withDeltas.Dimension);
        var extended = withDeltas.Embed(clip);
        Assert.Equal(250, extended.Length);
        Assert.Equal(first, extended[..210]);
        Assert.All(extended[210..], v => Assert.True(v > 0));
    }

    [Fact]
    public void EmbeddingIsThreadSafe()
    {
        var embedder = new SpectralStatisticsEmbedder();
        var clips = Enumerable.Range(0, 8).Select(i => Harmonic(100 + (50 * i), 16000, 0.3 + (0.1 * i))).ToArray();
        var sequential = clips.Select(embedder.Embed).ToArray();
        var parallel = new float[clips.Length][];
        Parallel.For(0, clips.Length * 4, i => parallel[i % clips.Length] = embedder.Embed(clips[i % clips.Length]));
        for (var i = 0; i < clips.Length; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }

    [Fact]
    public void IdentityChangesWithEverySetting()
    {
        var baseline = new SpectralStatisticsEmbedder().Identity;
        Assert.Equal(baseline, new SpectralStatisticsEmbedder(new FeatureSettings()).Identity);
        Assert.Contains("spectral-statistics/", baseline);
        var variants = new[]
        {
            FeatureSettings.Default with { IncludeDeltas = true },
            FeatureSettings.Default with { MelBands = 64 },
            FeatureSettings.Default with { SampleRate = 22050 },
            FeatureSettings.Default with { HopSeconds = 0.02 },
            FeatureSettings.Default with { RolloffFraction = 0.9 },
        };
        var identities = variants.Select(v => new SpectralStatisticsEmbedder(v).Identity).Append(baseline).ToList();
        Assert.Equal(identities.Count, identities.Distinct().Count());
    }

    [Fact]
    public void ClipsAreResampledToTheSettingsRateFirst()
    {
        var embedder = new SpectralStatisticsEmbedder();
        var at16k = embedder.Embed(Harmonic(330, 16000, 1.0));
        var at44k = embedder.Embed(Harmonic(330, 44100, 1.0));
        var unrelated = embedder.Embed(Harmonic(800, 16000, 1.0));
        double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());
        Assert.True(Distance(at16k, at44k) < 0.1 * Distance(at16k, unrelated), $"{Distance(at16k, at44k)} vs {Distance(at16k, unrelated)}");
    }

    [Fact]
    public void ShortEmptyAndSilentClipsGiveFiniteVectors()
    {
        var embedder = new SpectralStatisticsEmbedder();
        foreach (var clip in new[] { new AudioBuffer([], 16000), new AudioBuffer([0.3f, -0.2f], 8000), new AudioBuffer(new float[16000], 16000) })
        {
            var v = embedder.Embed(clip);
            Assert.Equal(embedder.Dimension, v.Length);
            Assert.All(v, x => Assert.True(float.IsFinite(x)));
        }
    }

    [Theory]
    [InlineData(110.0)]
    [InlineData(220.0)]
    [InlineData(523.25)]
    public void PitchEstimatorFindsAHarmonicTonesFundamental(double f0)
    {
        var estimate = PitchEstimator.Estimate(Harmonic(f0, 16000, 0.5));
        Assert.Equal(f0, estimate.FrequencyHz, f0 * 0.002);
        Assert.True(estimate.Periodicity > 0.9);
        Assert.True(PitchEstimator.Estimate(WhiteNoise(16000, 0.5, seed: 3)).Periodicity < 0.3);
    }
}
