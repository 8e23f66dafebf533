using Synthio.Audio;
using Synthio.Onnx.Clap;
using Synthio.Onnx.Tests.Fixtures;

namespace Synthio.Onnx.Tests;

public sealed class ClapMelFrontEndTests
{
    private static readonly ClapMelFrontEnd FrontEnd = new(ClapFrontEndSettings.Default);

    [Fact]
    public void Shape_is_1001_frames_of_64_bins()
    {
        Assert.Equal(1001, ClapFrontEndSettings.Default.Frames);
        Assert.Equal(1001 * 64, FrontEnd.FeatureLength);
        Assert.Equal(1001 * 64, FrontEnd.Compute(new AudioBuffer(new float[48000], 48000)).Length);
    }

    [Fact]
    public void Slaney_mel_scale_matches_its_definition()
    {
        foreach (var hz in new[] { 0.0, 50, 440, 999, 1000, 1001, 4000, 14000 })
        {
            Assert.Equal(ReferenceLogMel.Mel(hz), ClapMelFrontEnd.HertzToMel(hz), 10);
            Assert.Equal(hz, ClapMelFrontEnd.MelToHertz(ClapMelFrontEnd.HertzToMel(hz)), 8);
        }

        Assert.Equal(15.0, ClapMelFrontEnd.HertzToMel(1000), 12);
        Assert.Equal(7.5, ClapMelFrontEnd.HertzToMel(500), 12);
    }

    [Fact]
    public void Log_mel_of_a_known_signal_matches_the_published_formulas()
    {
        // Two tones and a chirp, exactly 10 s at 48 kHz so no padding or resampling is involved.
        var samples = new float[480000];
        for (var n = 0; n < samples.Length; n++)
        {
            var t = n / 48000.0;
            samples[n] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * t) + 0.25 * Math.Sin(2 * Math.PI * 3150 * t)
                + 0.1 * Math.Sin(2 * Math.PI * (200 * t + 600 * t * t)));
        }

        var features = FrontEnd.Compute(new AudioBuffer(samples, 48000));
        var signal = samples.Select(s => (double)s).ToArray();
        foreach (var frame in new[] { 0, 1, 2, 137, 500, 999, 1000 })
        {
            var expected = ReferenceLogMel.Frame(signal, frame);
            for (var m = 0; m < 64; m++)
            {
                Assert.True(
                    Math.Abs(expected[m] - features[frame * 64 + m]) < 1e-4,
                    $"frame {frame} bin {m}: expected {expected[m]}, got {features[frame * 64 + m]}");
            }
        }

        // The 440 Hz tone dominates the bin whose filter spans it.
        var middle = features.AsSpan(500 * 64, 64).ToArray();
        var loudest = Array.IndexOf(middle, middle.Max());
        Assert.InRange(ClapMelFrontEnd.MelToHertz(ClapMelFrontEnd.HertzToMel(50) + (ClapMelFrontEnd.HertzToMel(14000) - ClapMelFrontEnd.HertzToMel(50)) * (loudest + 1) / 65.0), 350, 550);
    }

    [Fact]
    public void Short_clips_are_repeated_whole_then_zero_padded()
    {
        var clip = Enumerable.Range(0, 150000).Select(i => (float)Math.Sin(i * 0.01) * 0.3f).ToArray();
        var window = FrontEnd.FitToWindow(clip);
        Assert.Equal(480000, window.Length);
        Assert.Equal(clip[123], window[123], 6);
        Assert.Equal(clip[123], window[150000 + 123], 6);
        Assert.Equal(clip[149999], window[449999], 6);
        Assert.All(window.AsSpan(450000).ToArray(), v => Assert.Equal(0.0, v));

        // The features of the clip equal the reference of its padded window.
        var features = FrontEnd.Compute(new AudioBuffer(clip, 48000));
        foreach (var frame in new[] { 0, 312, 940 })
        {
            var expected = ReferenceLogMel.Frame(window, frame);
            for (var m = 0; m < 64; m++)
            {
                Assert.True(Math.Abs(expected[m] - features[frame * 64 + m]) < 1e-4, $"frame {frame} bin {m}");
            }
        }
    }

    [Fact]
    public void Long_clips_are_truncated_to_the_first_ten_seconds()
    {
        var clip = Enumerable.Range(0, 600000).Select(i => (float)((i * 7919 % 1000) / 1000.0 - 0.5)).ToArray();
        var window = FrontEnd.FitToWindow(clip);
        Assert.Equal(480000, window.Length);
        Assert.Equal(clip[479999], window[479999], 6);
    }

    [Fact]
    public void Clips_at_other_rates_are_resampled_to_48k_first()
    {
        // A 1 kHz tone at 16 kHz and the same tone at 48 kHz give nearly the same features.
        var at16 = Enumerable.Range(0, 160000).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / 16000.0))).ToArray();
        var at48 = Enumerable.Range(0, 480000).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / 48000.0))).ToArray();
        var a = FrontEnd.Compute(new AudioBuffer(at16, 16000));
        var b = FrontEnd.Compute(new AudioBuffer(at48, 48000));
        var loudBins = Enumerable.Range(0, 64).Where(m => b[500 * 64 + m] > 0).ToArray();
        Assert.NotEmpty(loudBins);
        foreach (var m in loudBins)
        {
            Assert.True(Math.Abs(a[500 * 64 + m] - b[500 * 64 + m]) < 0.05, $"bin {m}: {a[500 * 64 + m]} vs {b[500 * 64 + m]}");
        }
    }
}
