using Synthio.Audio;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Tests;

namespace Synthio.Core.Tests;

public class GoldClipReaderTests
{
    [Theory]
    [InlineData(0.0, "SYN1013")]      // digital silence
    [InlineData(0.00009, "SYN1013")]  // dither: three steps of 16-bit PCM
    [InlineData(0.0004, null)]        // a faint recording (−68 dBFS) is still a recording
    [InlineData(0.3, null)]
    public void SilentClipsAreRefusedAndQuietOnesKept(double peak, string? code)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("clip.wav");
        var samples = new float[8000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(peak * Math.Sin(2 * Math.PI * 440 * i / 8000));
        }

        WavFile.WriteMono(path, new AudioBuffer(samples, 8000));
        if (code is null)
        {
            Assert.Equal(samples.Length, GoldClipReader.Read(path).Length);
        }
        else
        {
            var refused = Assert.Throws<SynthioException>(() => GoldClipReader.Read(path));
            Assert.Equal(code, refused.Code);
            Assert.Equal(path, refused.File);
            Assert.Contains("silent", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EmptyAndOverlongClipsKeepTheirOwnCodes()
    {
        using var temp = new TempDirectory();
        var empty = temp.Combine("empty.wav");
        WavFile.WriteMono(empty, new AudioBuffer(Array.Empty<float>(), 8000));
        Assert.Equal(DiagnosticCodes.EmptyAudio, Assert.Throws<SynthioException>(() => GoldClipReader.Read(empty)).Code);

        // Silent and too long at once: the length is what the user has to fix first.
        var longClip = temp.Combine("long.wav");
        WavFile.WriteMono(longClip, new AudioBuffer(new float[8000 * 3], 8000));
        Assert.Equal(DiagnosticCodes.AudioTooLong, Assert.Throws<SynthioException>(() => GoldClipReader.Read(longClip, maxSeconds: 2)).Code);
    }
}
