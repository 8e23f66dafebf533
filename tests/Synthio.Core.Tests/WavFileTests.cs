using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Tests;

namespace Synthio.Core.Tests;

public class WavFileTests
{
    [Theory]
    [InlineData(WavSampleFormat.Pcm16)]
    [InlineData(WavSampleFormat.Float32)]
    public void MonoRoundTripKeepsSamples(WavSampleFormat format)
    {
        using var temp = new TempDirectory();
        var samples = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i * 0.05) * 0.5f).ToArray();
        var path = temp.Combine("a.wav");
        WavFile.WriteMono(path, new AudioBuffer(samples, 16000), format);
        var read = WavFile.ReadMono(path);
        Assert.Equal(16000, read.SampleRate);
        Assert.Equal(samples.Length, read.Length);
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.Equal(samples[i], read.Samples[i], 4);
        }
    }

    [Fact]
    public void NonWavBytesAreRejectedWithTheFileName()
    {
        var ex = Assert.Throws<SynthioException>(() => WavFile.Parse("hello, not audio at all"u8, "notes.wav"));
        Assert.Equal(DiagnosticCodes.NotAudioFile, ex.Code);
        Assert.Contains("notes.wav", ex.Message);
    }
}
