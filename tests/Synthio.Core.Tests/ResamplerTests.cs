using Synthio.Audio;
using static Synthio.Core.Tests.AudioTestSignals;

namespace Synthio.Core.Tests;

public class ResamplerTests
{
    [Theory]
    [InlineData(44100, 16000, 1000.0)]
    [InlineData(16000, 44100, 1000.0)]
    [InlineData(8000, 16000, 440.0)]
    [InlineData(48000, 44100, 3000.0)]
    [InlineData(44100, 8000, 2500.0)]
    [InlineData(16000, 8000, 3000.0)]
    [InlineData(22050, 16001, 1234.5)] // reduced ratio too large for exact polyphase tables
    public void ToneKeepsItsFrequencyAndLevel(int from, int to, double hz)
    {
        var input = Sine(hz, from, 1.0, amplitude: 0.5);
        var output = Resampler.Resample(input, to);

        Assert.Equal(to, output.SampleRate);
        Assert.Equal((int)Math.Ceiling((double)input.Length * to / from), output.Length);
        Assert.Equal(hz, DominantFrequency(output), hz * 1e-4);
        Assert.Equal(0.5, ToneAmplitude(Middle(output), to, hz), 0.005);
    }

    [Theory]
    [InlineData(44100, 16000, 9000.0)]
    [InlineData(44100, 16000, 12000.0)]
    [InlineData(48000, 16000, 8500.0)]
    [InlineData(16000, 8000, 5000.0)]
    [InlineData(44100, 8000, 15000.0)]
    public void TonesAboveTheNewNyquistAreRemovedNotFolded(int from, int to, double hz)
    {
        var input = Sine(hz, from, 1.0, amplitude: 0.5);
        var output = Resampler.Resample(input, to);

        // Whatever is left (the alias) must be at least 70 dB below the input tone.
        var residual = Rms(Middle(output)) / Rms(Middle(input));
        Assert.True(residual < Math.Pow(10, -70 / 20.0), $"alias only {20 * Math.Log10(residual):F1} dB down");
    }

    [Fact]
    public void UpsamplingCreatesNoImagesAboveTheOldNyquist()
    {
        var output = Resampler.Resample(Sine(1000, 8000, 1.0), 16000);

        // The image of 1 kHz sits at 8 − 1 = 7 kHz; it must be at least 70 dB below the tone.
        var image = ToneAmplitude(Middle(output), 16000, 7000);
        Assert.True(image < 0.5 * Math.Pow(10, -70 / 20.0), $"image amplitude {image}");
    }

    [Fact]
    public void ConstantSignalStaysConstantAwayFromTheEdges()
    {
        var input = new AudioBuffer(Enumerable.Repeat(0.25f, 4410).ToArray(), 44100);
        var output = Resampler.Resample(input, 16000);
        foreach (var s in Middle(output, 0.2))
        {
            Assert.Equal(0.25f, s, 1e-5f);
        }
    }

    [Fact]
    public void SameRateReturnsTheClipUnchanged()
    {
        var input = Sine(440, 16000, 0.1);
        Assert.Same(input, Resampler.Resample(input, 16000));
    }

    [Fact]
    public void EmptyAndTinyClipsAreHandled()
    {
        Assert.Equal(0, Resampler.Resample(new AudioBuffer([], 44100), 16000).Length);
        Assert.Equal(1, Resampler.Resample(new AudioBuffer([0.5f], 44100), 16000).Length);
        Assert.Equal(6, Resampler.Resample(new AudioBuffer([0.1f, 0.2f, 0.3f], 8000), 16000).Length);
    }

    [Theory]
    [InlineData(1.1892)]
    [InlineData(0.7491)]
    public void ArbitraryRatioScalesPlaybackFrequency(double ratio)
    {
        // Resampling by `ratio` and playing at the original rate divides every frequency by `ratio`.
        var input = Sine(1000, 16000, 1.0);
        var output = new AudioBuffer(Resampler.ResampleByRatio(input.Samples, ratio), 16000);
        Assert.Equal((int)Math.Ceiling(input.Length * ratio), output.Length);
        Assert.Equal(1000 / ratio, DominantFrequency(output), 1000 / ratio * 1e-4);
    }
}

public class AudioOpsTests
{
    [Fact]
    public void FitToDurationPadsAndCrops()
    {
        var clip = new AudioBuffer([1f, 2f, 3f, 4f], 4);
        Assert.Equal([1f, 2f, 3f, 4f, 0f, 0f], AudioOps.FitToDuration(clip, 1.5).Samples);
        Assert.Equal([1f, 2f], AudioOps.FitToDuration(clip, 0.5).Samples);
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 0f], AudioOps.FitToDuration(clip, 1.5, FitAlignment.Center).Samples);
        Assert.Equal([2f, 3f], AudioOps.FitToDuration(clip, 0.5, FitAlignment.Center).Samples);
        Assert.NotSame(clip.Samples, AudioOps.FitToDuration(clip, 1.0).Samples);
    }

    [Fact]
    public void LoudnessNormalisationHitsItsTarget()
    {
        var clip = Sine(300, 16000, 0.5, amplitude: 0.05);
        Assert.Equal(-20, AudioOps.RmsDb(AudioOps.NormalizeRms(clip, -20)), 1e-3);
        Assert.Equal(AudioOps.FromDb(-1), AudioOps.Peak(AudioOps.NormalizePeak(clip, -1)), 1e-6);
        var silence = new AudioBuffer(new float[100], 16000);
        Assert.All(AudioOps.NormalizeRms(silence).Samples, s => Assert.Equal(0f, s));
        Assert.Equal(AudioOps.SilenceFloorDb, AudioOps.RmsDb(silence));

        // A full-scale sine sits at −3.01 dBFS.
        Assert.Equal(-3.0103, AudioOps.RmsDb(Sine(1000, 16000, 1, amplitude: 1)), 1e-3);
    }

    [Fact]
    public void MixAtSnrProducesTheAskedRatioAndLoopsTheBackground()
    {
        var signal = Sine(440, 16000, 1.0, amplitude: 0.3);
        var background = WhiteNoise(16000, 0.3, seed: 4);
        foreach (var snr in new[] { -5.0, 0.0, 12.0 })
        {
            var mixed = AudioOps.MixAtSnr(signal, background, snr, backgroundOffset: 123);
            Assert.Equal(signal.Length, mixed.Length);
            var noise = mixed.Samples.Zip(signal.Samples, (m, s) => m - s).ToArray();
            var measured = 20 * Math.Log10(Rms(signal.Samples) / Rms(noise));
            Assert.Equal(snr, measured, 0.01);

            // The background is looped: its pattern repeats every 0.3 s.
            Assert.Equal(noise[1000], noise[1000 + background.Length], 1e-5);
        }
    }

    [Fact]
    public void MixAtSnrResamplesABackgroundAtAnotherRate()
    {
        var signal = Sine(440, 16000, 0.5);
        var background = Sine(3000, 44100, 0.5);
        var mixed = AudioOps.MixAtSnr(signal, background, 0);
        Assert.Equal(16000, mixed.SampleRate);
        var noise = mixed.Samples.Zip(signal.Samples, (m, s) => m - s).ToArray();
        Assert.Equal(3000, DominantFrequency(new AudioBuffer(noise, 16000)), 1.0);
    }

    [Fact]
    public void OverlayPlacesTheClipAtItsOffsetAndDropsWhatOverhangs()
    {
        var bed = new AudioBuffer([1f, 1f, 1f, 1f, 1f], 10);
        var clip = new AudioBuffer([1f, 2f, 3f], 10);
        Assert.Equal([1f, 1f, 1f, 3f, 5f], AudioOps.Overlay(bed, clip, 3, gain: 2).Samples);
        Assert.Equal([3f, 4f, 1f, 1f, 1f], AudioOps.Overlay(bed, clip, -1).Samples);
        Assert.Equal(bed.Samples, AudioOps.Overlay(bed, clip, 9).Samples);
        Assert.Equal([1f, 1f, 1f, 1f, 1f], bed.Samples);
    }

    [Fact]
    public void FadeRampsTheEndsAndLeavesTheMiddle()
    {
        var clip = new AudioBuffer(Enumerable.Repeat(1f, 100).ToArray(), 100);
        var faded = AudioOps.Fade(clip, 0.1, 0.2).Samples;
        Assert.Equal(0f, faded[0]);
        Assert.Equal(0f, faded[^1]);
        Assert.Equal(0.5f, faded[5], 1e-6f);
        Assert.Equal(0.5f, faded[^11], 1e-6f);
        Assert.All(faded[10..80], v => Assert.Equal(1f, v));
    }
}
