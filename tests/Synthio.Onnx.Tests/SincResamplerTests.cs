using Synthio.Audio;
using Synthio.Onnx.Signal;

namespace Synthio.Onnx.Tests;

public sealed class SincResamplerTests
{
    [Theory]
    [InlineData(16000, 48000, 1000.0)]
    [InlineData(44100, 48000, 3000.0)]
    [InlineData(22050, 48000, 5000.0)]
    [InlineData(48000, 16000, 1500.0)]
    public void A_tone_keeps_its_frequency_and_amplitude(int from, int to, double frequency)
    {
        var input = Enumerable.Range(0, from).Select(n => (float)(0.8 * Math.Sin(2 * Math.PI * frequency * n / from))).ToArray();
        var output = SincResampler.Resample(new AudioBuffer(input, from), to);
        Assert.Equal(to, output.SampleRate);
        Assert.Equal(to, output.Length);
        var worst = 0.0;
        for (var n = to / 10; n < to - to / 10; n++)
        {
            worst = Math.Max(worst, Math.Abs(output.Samples[n] - 0.8 * Math.Sin(2 * Math.PI * frequency * n / to)));
        }

        Assert.True(worst < 2e-3, $"max error {worst}");
    }

    [Fact]
    public void Content_above_the_new_nyquist_is_removed_when_downsampling()
    {
        var input = Enumerable.Range(0, 48000).Select(n => (float)Math.Sin(2 * Math.PI * 12000 * n / 48000.0)).ToArray();
        var output = SincResampler.Resample(new AudioBuffer(input, 48000), 16000);
        var rms = Math.Sqrt(output.Samples.Skip(1600).Take(12800).Average(s => (double)s * s));
        Assert.True(rms < 1e-3, $"alias rms {rms}");
    }
}
