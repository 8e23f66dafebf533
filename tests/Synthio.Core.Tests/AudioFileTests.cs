using Synthio.Audio;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Tests;
using static Synthio.Core.Tests.AudioFixtures;

namespace Synthio.Core.Tests;

/// <summary>
/// Decoding the formats a dataset may hold, on files written by the reference encoders (AudioFiles/make.sh).
/// Every FLAC fixture but one carries the MD5 of its source samples, which the decoder checks: decoding it
/// without an error is itself a bit-exact comparison with the encoder's input.
/// </summary>
public class AudioFileTests
{
    [Theory]
    [InlineData("sine440-16k-mono16.flac", 16000, 1, 16, 4000)]
    [InlineData("sine440-16k-mono16-best.flac", 16000, 1, 16, 4000)]
    [InlineData("sine440-16k-odd-blocks.flac", 16000, 1, 16, 4000)]
    [InlineData("sine440-16k-wasted-bits.flac", 16000, 1, 24, 4000)]
    [InlineData("sine440-16k-id3.flac", 16000, 1, 16, 4000)]
    [InlineData("stereo-440-660-44k-24bit.flac", 44100, 2, 24, 4410)]
    [InlineData("noise-and-silence-8k-8bit.flac", 8000, 2, 8, 800)]
    [InlineData("noise-16k-24bit.flac", 16000, 1, 24, 1600)]
    [InlineData("stereo-16k-32bit.flac", 16000, 2, 32, 1600)]
    public void FlacFilesDecodeWithTheirFormat(string name, int rate, int channels, int bits, int frames)
    {
        var wav = FlacDecoder.Decode(Bytes(name), name);

        Assert.Equal(rate, wav.SampleRate);
        Assert.Equal(channels, wav.Channels.Length);
        Assert.Equal(frames, wav.FrameCount);
        var step = 1.0 / (1L << (bits - 1));
        Assert.All(wav.Channels.SelectMany(c => c), s => Assert.True(s >= -1 && s < 1 && Math.Abs((s / step) - Math.Round(s / step)) < 1e-9, $"{s} is not a {bits}-bit sample"));
    }

    [Fact]
    public void OneSourceEncodedFiveWaysDecodesToTheSameSamples()
    {
        // Default and best compression, odd block sizes, 8 wasted bits, and a stream behind an ID3v2 tag
        // whose header gives neither its length nor its MD5: all were encoded from one 16-bit sine.
        var reference = FlacDecoder.Decode(Bytes("sine440-16k-mono16.flac"), "a").Channels[0];
        foreach (var name in new[] { "sine440-16k-mono16-best.flac", "sine440-16k-odd-blocks.flac", "sine440-16k-wasted-bits.flac", "sine440-16k-id3.flac" })
        {
            Assert.Equal(reference, FlacDecoder.Decode(Bytes(name), name).Channels[0]);
        }

        var audio = new AudioBuffer(reference.Select(s => (float)s).ToArray(), 16000);
        Assert.InRange(AudioTestSignals.DominantFrequency(audio), 438, 442);
        Assert.InRange(AudioTestSignals.ToneAmplitude(audio.Samples, 16000, 440), 0.66, 0.75); // sox's "gain -3"
    }

    [Fact]
    public void StereoChannelsStayApartThroughMidSideCoding()
    {
        var wav = FlacDecoder.Decode(Bytes("stereo-440-660-44k-24bit.flac"), "s");
        var left = wav.Channels[0].Select(s => (float)s).ToArray();
        var right = wav.Channels[1].Select(s => (float)s).ToArray();

        Assert.InRange(AudioTestSignals.ToneAmplitude(left, 44100, 440), 0.45, 0.55);
        Assert.InRange(AudioTestSignals.ToneAmplitude(right, 44100, 660), 0.45, 0.55);
        Assert.True(AudioTestSignals.ToneAmplitude(left, 44100, 660) < 0.02);
        Assert.True(AudioTestSignals.ToneAmplitude(right, 44100, 440) < 0.02);
    }

    [Fact]
    public void ASilentChannelIsExactlyZero()
    {
        var wav = FlacDecoder.Decode(Bytes("noise-and-silence-8k-8bit.flac"), "n");

        Assert.All(wav.Channels[1], s => Assert.Equal(0.0, s));
        Assert.InRange(AudioOps.Rms(wav.Channels[0].Select(s => (float)s).ToArray()), 0.2, 0.21); // sox stat: 0.2048
    }

    [Fact]
    public void AWrongSignatureIsAnError()
    {
        var data = Bytes("sine440-16k-mono16.flac");
        data[4 + 4 + 18] ^= 0x01; // STREAMINFO's MD5 starts 18 bytes in, after the marker and the block header

        var ex = Assert.Throws<SynthioException>(() => FlacDecoder.Decode(data, "bad.flac"));

        Assert.Equal(DiagnosticCodes.UnreadableAudio, ex.Code);
        Assert.Contains("MD5", ex.Message);
    }

    [Fact]
    public void ADamagedFrameIsAnError()
    {
        var data = Bytes("sine440-16k-mono16.flac");
        data[^40] ^= 0x10;

        var ex = Assert.Throws<SynthioException>(() => FlacDecoder.Decode(data, "bad.flac"));

        Assert.Equal(DiagnosticCodes.UnreadableAudio, ex.Code);
        Assert.Contains("bad.flac", ex.Message);
    }

    [Fact]
    public void ACutOffStreamIsAnError()
    {
        var data = Bytes("sine440-16k-mono16.flac");

        var ex = Assert.Throws<SynthioException>(() => FlacDecoder.Decode(data.AsSpan(0, data.Length - 500), "cut.flac"));

        Assert.Equal(DiagnosticCodes.UnreadableAudio, ex.Code);
    }

    [Theory]
    [InlineData("stereo-440-660-16k.mp3", 16000)]
    [InlineData("stereo-440-660-16k.ogg", 16000)]
    [InlineData("stereo-440-660-16k.opus", 48000)]
    [InlineData("stereo-440-660-16k.webm", 48000)]
    public void LossyFilesDecodeToTheirTones(string name, int rate)
    {
        var audio = AudioFile.ReadMono(Fixture(name));

        Assert.Equal(rate, audio.SampleRate);
        Assert.InRange(audio.DurationSeconds, 0.45, 0.6);

        // The channels (440 Hz and 660 Hz at half scale) are averaged: a quarter of full scale each.
        var middle = AudioTestSignals.Middle(audio, 0.2);
        Assert.InRange(AudioTestSignals.ToneAmplitude(middle, rate, 440), 0.2, 0.3);
        Assert.InRange(AudioTestSignals.ToneAmplitude(middle, rate, 660), 0.2, 0.3);
        Assert.True(AudioTestSignals.ToneAmplitude(middle, rate, 550) < 0.03);
    }

    [Fact]
    public void OpusIsTrimmedToTheLengthItsEncoderWasGiven()
    {
        // 0.5 s in; the header's pre-skip and the last page's granule position remove the codec's padding.
        var stereo = AudioFile.ReadMono(Fixture("stereo-440-660-16k.opus"));
        var mono = AudioFile.ReadMono(Fixture("mono-440-16k.opus"));

        Assert.Equal(24000, stereo.Length);
        Assert.Equal(24000, mono.Length);
        Assert.InRange(AudioTestSignals.ToneAmplitude(AudioTestSignals.Middle(mono, 0.2), 48000, 440), 0.4, 0.6);
    }

    [Fact]
    public void TheFormatIsToldByContentNotByName()
    {
        using var temp = new TempDirectory();
        var misnamed = temp.Combine("actually-flac.wav");
        File.Copy(Fixture("sine440-16k-mono16.flac"), misnamed);
        var wavCopy = temp.Combine("actually-wav.mp3");
        WavFile.WriteMono(wavCopy, AudioTestSignals.Sine(440, 16000, 0.1));

        Assert.Equal(4000, AudioFile.ReadMono(misnamed).Length);
        Assert.Equal(1600, AudioFile.ReadMono(wavCopy).Length);
    }

    [Fact]
    public void OggPagesAreCheckedAndUnknownBytesAreNamedAsSuch()
    {
        var opus = Bytes("mono-440-16k.opus");
        opus[^10] ^= 0x40;

        var opusError = Assert.Throws<SynthioException>(() => AudioFile.DecodeMono(opus, "voice.opus"));
        var textError = Assert.Throws<SynthioException>(() => AudioFile.DecodeMono("hello, world"u8.ToArray(), "notes.wav"));
        var emptyError = Assert.Throws<SynthioException>(() => AudioFile.DecodeMono([], "empty.wav"));

        Assert.Equal(DiagnosticCodes.UnreadableAudio, opusError.Code);
        Assert.Contains("CRC", opusError.Message);
        Assert.Equal(DiagnosticCodes.NotAudioFile, textError.Code);
        Assert.Contains("68656C6C6F2C2077", textError.Message);
        Assert.Contains("empty", emptyError.Message);
    }

    [Fact]
    public void ADatasetTakesEveryFormatAndSkipsOtherFiles()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("tone"));
        foreach (var name in new[] { "sine440-16k-mono16.flac", "stereo-440-660-16k.mp3", "stereo-440-660-16k.ogg", "mono-440-16k.opus" })
        {
            File.Copy(Fixture(name), temp.Combine("tone", name));
        }

        WavFile.WriteMono(temp.Combine("tone", "plain.wav"), AudioTestSignals.Sine(440, 16000, 0.25));
        File.WriteAllText(temp.Combine("tone", "notes.txt"), "recorded in the garden");
        File.WriteAllBytes(temp.Combine("tone", "memo.m4a"), new byte[64]);
        var reporter = new CollectingReporter();

        var dataset = DatasetLoader.Load(temp.Path, reporter);

        Assert.Equal(["mono-440-16k.opus", "plain.wav", "sine440-16k-mono16.flac", "stereo-440-660-16k.mp3", "stereo-440-660-16k.ogg"], dataset.Clips.Select(c => Path.GetFileName(c.Path)).Order(StringComparer.Ordinal));
        Assert.Equal(2, reporter.Diagnostics.Count);
        Assert.All(reporter.Diagnostics, d => Assert.Equal(DiagnosticCodes.NotAudioFile, d.Code));
        Assert.Contains(reporter.Diagnostics, d => d.Message.Contains("notes.txt' is not a WAV", StringComparison.Ordinal));
        Assert.Contains(reporter.Diagnostics, d => d.Message.Contains("memo.m4a' is AAC (MP4) audio, which is not read", StringComparison.Ordinal) && d.Message.Contains("ffmpeg", StringComparison.Ordinal));
        Assert.All(dataset.Clips, c => Assert.True(GoldClipReader.Read(c.Path).DurationSeconds > 0.2));
    }

    [Fact]
    public void AVorbisFileCutOffAfterItsHeadersSaysSo()
    {
        // The Vorbis setup header is about 3.7 KB here, so the first 3.9 KB hold no audio packet.
        var ex = Assert.Throws<SynthioException>(() => AudioFile.DecodeMono(Bytes("stereo-440-660-16k.ogg")[..3900], "cut.ogg"));

        Assert.Equal(DiagnosticCodes.UnreadableAudio, ex.Code);
        Assert.Contains("cut off", ex.Message);
    }

    [Theory]
    [InlineData("sine440-16k-mono16.flac")]
    [InlineData("stereo-440-660-44k-24bit.flac")]
    [InlineData("stereo-440-660-16k.mp3")]
    [InlineData("stereo-440-660-16k.ogg")]
    [InlineData("stereo-440-660-16k.opus")]
    [InlineData("stereo-440-660-16k.webm")]
    [InlineData("mono-440-16k.mka")]
    [InlineData("stereo-16k-24bit.aif")]
    [InlineData("stereo-16k-sowt.aifc")]
    [InlineData("adpcm-stereo-16k.wav")]
    [InlineData("ms-adpcm-stereo-16k.wav")]
    [InlineData("every-code-mu-law.wav")]
    public void DamagedFilesGiveCodedErrorsOrAudioNeverACrash(string name)
    {
        var original = Bytes(name);
        var random = new Random(name.Length);
        for (var trial = 0; trial < 300; trial++)
        {
            var data = original.AsSpan(0, trial % 3 == 0 ? random.Next(1, original.Length) : original.Length).ToArray();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                data[random.Next(data.Length)] = (byte)random.Next(256);
            }

            try
            {
                AudioFile.DecodeMono(data, name);
            }
            catch (SynthioException ex)
            {
                Assert.True(ex.Code is DiagnosticCodes.UnreadableAudio or DiagnosticCodes.NotAudioFile, ex.Code);
            }
        }
    }

    [Theory]
    [InlineData("mu-law")]
    [InlineData("a-law")]
    public void EveryG711CodeExpandsAsSoxExpandsIt(string law)
    {
        var companded = WavFile.Read(Fixture($"every-code-{law}.wav"));
        var expanded = WavFile.Read(Fixture($"every-code-{law}-as-pcm16.wav"));

        Assert.Equal(256, companded.FrameCount);
        Assert.Equal(WavSampleFormat.Pcm16, companded.Format);
        Assert.Equal(expanded.Channels[0], companded.Channels[0]);
        Assert.Equal(256, companded.Channels[0].Distinct().Count() + (law == "mu-law" ? 1 : 0)); // µ-law has two zeros
        Assert.Equal(expanded.Channels[0].Select(s => (float)s), AudioFile.ReadMono(Fixture($"every-code-{law}.wav")).Samples);
    }

    [Theory]
    [InlineData("adpcm-mono-8k", 1, 2400)]
    [InlineData("adpcm-stereo-16k", 2, 3200)]
    [InlineData("ms-adpcm-mono-8k", 1, 2400)]
    [InlineData("ms-adpcm-stereo-16k", 2, 3200)]
    public void AdpcmDecodesAsSoxDecodesItAndEndsWhereItsFactChunkSays(string name, int channels, int frames)
    {
        var adpcm = WavFile.Read(Fixture($"{name}.wav"));
        var sox = WavFile.Read(Fixture($"{name}-as-pcm16.wav")); // sox decodes whole blocks, padding and all

        Assert.Equal(channels, adpcm.Channels.Length);
        Assert.Equal(frames, adpcm.FrameCount);
        Assert.True(sox.FrameCount > frames);
        for (var c = 0; c < channels; c++)
        {
            Assert.Equal(sox.Channels[c].Take(frames), adpcm.Channels[c]);
        }

        Assert.Equal(frames, AudioFile.ReadMono(Fixture($"{name}.wav")).Length);
    }

    [Theory]
    [InlineData("stereo-16k.aiff")]
    [InlineData("stereo-16k-24bit.aif")]
    [InlineData("stereo-16k-sowt.aifc")]
    [InlineData("stereo-16k-float.aifc")]
    public void AiffReadsToTheSamplesOfTheWavItWasConvertedFrom(string name)
    {
        var wav = WavFile.Read(Fixture("adpcm-stereo-16k-as-pcm16.wav"));

        var aiff = AiffDecoder.Decode(Bytes(name), name);

        Assert.Equal(16000, aiff.SampleRate);
        Assert.Equal(wav.Channels, aiff.Channels);
        Assert.Equal(wav.ToMono().Samples, AudioFile.ReadMono(Fixture(name)).Samples);
    }

    [Fact]
    public void CompressedAiffSaysItIsNotRead()
    {
        var data = Bytes("stereo-16k-sowt.aifc");
        var at = data.AsSpan().IndexOf("sowt"u8);
        "ulaw"u8.CopyTo(data.AsSpan(at));

        var ex = Assert.Throws<SynthioException>(() => AudioFile.DecodeMono(data, "phone.aifc"));

        Assert.Equal(DiagnosticCodes.UnreadableAudio, ex.Code);
        Assert.Contains("'ulaw'", ex.Message);
    }
}
