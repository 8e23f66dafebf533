using System.Buffers.Binary;
using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Tests;

namespace Synthio.Core.Tests;

public class WavFileTests
{
    public static TheoryData<WavSampleFormat, int> FormatsAndChannels()
    {
        var data = new TheoryData<WavSampleFormat, int>();
        foreach (var format in Enum.GetValues<WavSampleFormat>())
        {
            foreach (var channels in new[] { 1, 2, 3 })
            {
                data.Add(format, channels);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndChannels))]
    public void RoundTripIsBitExactForEveryFormatAndChannelCount(WavSampleFormat format, int channelCount)
    {
        var original = RandomWav(format, channelCount, frames: 1001, seed: (int)format * 10 + channelCount);
        var bytes = WavFile.ToBytes(original);
        var read = WavFile.Parse(bytes, "round-trip.wav");

        Assert.Equal(format, read.Format);
        Assert.Equal(original.SampleRate, read.SampleRate);
        Assert.Equal(channelCount, read.Channels.Length);
        for (var c = 0; c < channelCount; c++)
        {
            Assert.Equal(original.Channels[c], read.Channels[c]);
        }

        // Writing what was read gives the very same bytes.
        Assert.Equal(bytes, WavFile.ToBytes(read));
    }

    [Fact]
    public void FileRoundTripThroughDiskKeepsEverySample()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("stereo.wav");
        var original = RandomWav(WavSampleFormat.Pcm24, 2, 4000, seed: 5);
        WavFile.Write(path, original);
        var read = WavFile.Read(path);
        Assert.Equal(original.Channels[0], read.Channels[0]);
        Assert.Equal(original.Channels[1], read.Channels[1]);
    }

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
            Assert.Equal(samples[i], read.Samples[i], format == WavSampleFormat.Float32 ? 0 : 1.0 / 32768);
        }
    }

    [Fact]
    public void PcmQuantisationRoundsAndClips()
    {
        var wav = new WavData([[0.5 / 32768, -1.5, 1.5, double.NaN]], 8000, WavSampleFormat.Pcm16);
        var read = WavFile.Parse(WavFile.ToBytes(wav), "q.wav");
        Assert.Equal([1 / 32768.0, -1.0, 32767 / 32768.0, 0.0], read.Channels[0]);
    }

    [Theory]
    [InlineData(WavSampleFormat.Pcm16)]
    [InlineData(WavSampleFormat.Pcm24)]
    [InlineData(WavSampleFormat.Float32)]
    [InlineData(WavSampleFormat.Float64)]
    public void ExtensibleFormatReadsLikeThePlainOne(WavSampleFormat format)
    {
        var original = RandomWav(format, 4, 300, seed: 11);
        var extensible = ToExtensible(WavFile.ToBytes(original));
        var read = WavFile.Parse(extensible, "extensible.wav");
        Assert.Equal(format, read.Format);
        for (var c = 0; c < 4; c++)
        {
            Assert.Equal(original.Channels[c], read.Channels[c]);
        }
    }

    [Fact]
    public void OddChunksAndPadBytesAreSkipped()
    {
        var original = RandomWav(WavSampleFormat.Pcm16, 2, 257, seed: 3);
        var plain = WavFile.ToBytes(original);

        // RIFF header, then an odd-sized LIST chunk (with its pad byte), fmt, a fact chunk, and data.
        var list = Chunk("LIST", "INFOISFT\u0005\0\0\0abcde"u8.ToArray());
        var fact = Chunk("fact", [1, 0, 0, 0]);
        var fmt = plain.AsSpan(12, 24).ToArray();
        var data = plain.AsSpan(36).ToArray();
        var body = "WAVE"u8.ToArray().Concat(list).Concat(fmt).Concat(fact).Concat(data).ToArray();
        var file = "RIFF"u8.ToArray().Concat(BitConverter.GetBytes(body.Length)).Concat(body).ToArray();
        var read = WavFile.Parse(file, "chunks.wav");
        Assert.Equal(original.Channels[0], read.Channels[0]);
        Assert.Equal(original.Channels[1], read.Channels[1]);
    }

    [Fact]
    public void StreamingDataSizeReadsToTheEndOfTheFile()
    {
        var original = RandomWav(WavSampleFormat.Pcm16, 1, 100, seed: 2);
        var bytes = WavFile.ToBytes(original);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), uint.MaxValue);
        Assert.Equal(original.Channels[0], WavFile.Parse(bytes, "stream.wav").Channels[0]);
    }

    [Fact]
    public void ParseMonoAveragesChannelsExactlyLikeToMono()
    {
        var stereo = RandomWav(WavSampleFormat.Pcm16, 2, 500, seed: 9);
        var bytes = WavFile.ToBytes(stereo);
        var direct = WavFile.ParseMono(bytes, "s.wav");
        var viaData = WavFile.Parse(bytes, "s.wav").ToMono();
        Assert.Equal(viaData.Samples, direct.Samples);
        Assert.Equal((float)((stereo.Channels[0][7] + stereo.Channels[1][7]) * 0.5), direct.Samples[7]);
    }

    [Fact]
    public void NonWavBytesAreRejectedWithTheFileName()
    {
        var ex = Assert.Throws<SynthioException>(() => WavFile.Parse("hello, not audio at all"u8, "notes.wav"));
        Assert.Equal(DiagnosticCodes.NotAudioFile, ex.Code);
        Assert.Contains("notes.wav", ex.Message);
        Assert.Equal("notes.wav", ex.File);
    }

    [Theory]
    [InlineData(30, "fmt")] // cut inside the fmt chunk
    [InlineData(44, "no data chunk")] // header complete, data chunk header missing
    [InlineData(500, "truncated")] // cut inside the data
    public void TruncatedFilesRaiseANamedReason(int keep, string reason)
    {
        var bytes = WavFile.ToBytes(RandomWav(WavSampleFormat.Pcm16, 1, 1000, seed: 1));
        var cut = bytes.AsSpan(0, keep).ToArray();
        if (keep == 44)
        {
            cut = cut[..36];
        }

        var ex = Assert.Throws<SynthioException>(() => WavFile.Parse(cut, "cut.wav"));
        Assert.Equal(DiagnosticCodes.UnreadableAudio, ex.Code);
        Assert.Contains("cut.wav", ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void UnsupportedEncodingsAndBadHeadersAreRejected()
    {
        var bytes = WavFile.ToBytes(RandomWav(WavSampleFormat.Pcm16, 1, 10, seed: 1));

        var adpcm = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(adpcm.AsSpan(20), 2);
        Assert.Contains("unsupported encoding", Assert.Throws<SynthioException>(() => WavFile.Parse(adpcm, "adpcm.wav")).Message);

        var noChannels = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(noChannels.AsSpan(22), 0);
        Assert.Contains("zero channels", Assert.Throws<SynthioException>(() => WavFile.Parse(noChannels, "c.wav")).Message);

        var badAlign = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(badAlign.AsSpan(32), 3);
        Assert.Contains("block alignment", Assert.Throws<SynthioException>(() => WavFile.Parse(badAlign, "a.wav")).Message);

        var hugeChunk = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(hugeChunk.AsSpan(16), 0xFFFFFFF0);
        Assert.Contains("truncated", Assert.Throws<SynthioException>(() => WavFile.Parse(hugeChunk, "h.wav")).Message);

        // data before fmt
        var dataFirst = "RIFF"u8.ToArray().Concat(new byte[4]).Concat("WAVE"u8.ToArray()).Concat(bytes.AsSpan(36).ToArray()).Concat(bytes.AsSpan(12, 24).ToArray()).ToArray();
        Assert.Contains("before any fmt", Assert.Throws<SynthioException>(() => WavFile.Parse(dataFirst, "order.wav")).Message);
    }

    [Fact]
    public void EveryTruncationAndHeaderCorruptionEitherParsesOrRaisesSynthioException()
    {
        var bytes = WavFile.ToBytes(RandomWav(WavSampleFormat.Pcm24, 2, 40, seed: 4));
        for (var keep = 0; keep < bytes.Length; keep++)
        {
            ParseOrRaise(bytes.AsSpan(0, keep).ToArray());
        }

        var rng = new Random(12);
        for (var trial = 0; trial < 3000; trial++)
        {
            var corrupted = (byte[])bytes.Clone();
            for (var flips = rng.Next(1, 4); flips > 0; flips--)
            {
                corrupted[rng.Next(0, 48)] = (byte)rng.Next(256);
            }

            ParseOrRaise(corrupted);
        }

        static void ParseOrRaise(byte[] data)
        {
            try
            {
                var wav = WavFile.Parse(data, "fuzz.wav");
                Assert.True(wav.SampleRate > 0 && wav.Channels.Length > 0);
            }
            catch (SynthioException ex)
            {
                Assert.Contains("fuzz.wav", ex.Message);
            }
        }
    }

    [Fact]
    public void MissingFileRaisesWithItsPath()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("missing.wav");
        var ex = Assert.Throws<SynthioException>(() => WavFile.ReadMono(path));
        Assert.Equal(DiagnosticCodes.UnreadableAudio, ex.Code);
        Assert.Contains("missing.wav", ex.Message);
    }

    [Fact]
    public void EveryDatasetFileLoads()
    {
        Assert.True(Directory.Exists(TestPaths.Datasets), $"datasets folder missing: {TestPaths.Datasets}");
        var counts = new Dictionary<int, int>();
        var files = Directory.EnumerateFiles(TestPaths.Datasets, "*.wav", SearchOption.AllDirectories).ToList();
        Assert.True(files.Count >= 3400, $"expected the 3400 dataset clips, found {files.Count}");
        foreach (var file in files)
        {
            var audio = WavFile.ReadMono(file);
            Assert.True(audio.Length > 0, file);
            foreach (var s in audio.Samples)
            {
                Assert.True(float.IsFinite(s) && Math.Abs(s) <= 1f, file);
            }

            counts[audio.SampleRate] = counts.GetValueOrDefault(audio.SampleRate) + 1;
        }

        Assert.Equal(400, counts.GetValueOrDefault(16000));
        Assert.Equal(3000, counts.GetValueOrDefault(8000));
    }

    // Random samples that every format can hold exactly, including both ends of the integer range.
    private static WavData RandomWav(WavSampleFormat format, int channelCount, int frames, int seed)
    {
        var rng = new Random(seed);
        var channels = new double[channelCount][];
        for (var c = 0; c < channelCount; c++)
        {
            channels[c] = new double[frames];
            for (var f = 0; f < frames; f++)
            {
                channels[c][f] = format switch
                {
                    WavSampleFormat.Pcm8 => Level(rng, f, 128),
                    WavSampleFormat.Pcm16 => Level(rng, f, 32768),
                    WavSampleFormat.Pcm24 => Level(rng, f, 8388608),
                    WavSampleFormat.Pcm32 => Level(rng, f, 2147483648),
                    WavSampleFormat.Float32 => (float)((rng.NextDouble() * 2) - 1),
                    _ => (rng.NextDouble() * 2) - 1,
                };
            }
        }

        return new WavData(channels, 22050 + seed, format);
    }

    private static double Level(Random rng, int index, long scale) => index switch
    {
        0 => -1.0,
        1 => (scale - 1) / (double)scale,
        _ => rng.NextInt64(-scale, scale) / (double)scale,
    };

    private static byte[] Chunk(string id, byte[] body)
    {
        var chunk = System.Text.Encoding.ASCII.GetBytes(id).Concat(BitConverter.GetBytes(body.Length)).Concat(body);
        return (body.Length % 2 == 1 ? chunk.Append((byte)0) : chunk).ToArray();
    }

    // Rewrites a plain 16-byte fmt chunk as a 40-byte WAVE_FORMAT_EXTENSIBLE one.
    private static byte[] ToExtensible(byte[] plain)
    {
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(plain.AsSpan(20));
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(plain.AsSpan(34));
        var fmt = new byte[40];
        plain.AsSpan(20, 16).CopyTo(fmt);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(18), bits);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(20), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(24), tag);
        byte[] guidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        guidTail.CopyTo(fmt.AsSpan(26));
        var body = "WAVE"u8.ToArray().Concat(Chunk("fmt ", fmt)).Concat(plain.AsSpan(36).ToArray()).ToArray();
        return "RIFF"u8.ToArray().Concat(BitConverter.GetBytes(body.Length)).Concat(body).ToArray();
    }
}
