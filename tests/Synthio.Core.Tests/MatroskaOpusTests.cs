using System.Buffers.Binary;
using System.Text;
using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Tests;
using static Synthio.Core.Tests.AudioFixtures;

namespace Synthio.Core.Tests;

/// <summary>
/// Opus in WebM and Matroska. The fixtures were remuxed by ffmpeg from the Ogg Opus fixtures without re-encoding
/// (AudioFiles/make.sh), so each must decode to exactly the samples of its Ogg twin. The laced and live-recorded
/// layouts ffmpeg does not write are built here from the Ogg file's own packets.
/// </summary>
public class MatroskaOpusTests
{
    [Theory]
    [InlineData("stereo-440-660-16k.webm", "stereo-440-660-16k.opus")]
    [InlineData("mono-440-16k-live.webm", "mono-440-16k.opus")]
    [InlineData("mono-440-16k.mka", "mono-440-16k.opus")]
    public void ARemuxedFileDecodesToTheSamplesOfItsOggTwin(string remuxed, string ogg)
    {
        var expected = AudioFile.ReadMono(Fixture(ogg));

        var audio = AudioFile.ReadMono(Fixture(remuxed));

        Assert.Equal(48000, audio.SampleRate);
        Assert.Equal(24000, audio.Length); // 0.5 s: pre-skip and the last block's discard padding trimmed
        Assert.Equal(expected.Samples, audio.Samples);
    }

    [Fact]
    public void LacedBlocksInClustersOfUnknownSizeDecodeAsUnlacedOnes()
    {
        var (packets, _) = OggOpusDecoder.ReadPackets(Bytes("stereo-440-660-16k.opus"), "ogg");
        var expected = AudioFile.ReadMono(Fixture("stereo-440-660-16k.opus")).Samples;

        // Without discard padding the last frame's filler stays: the Ogg decode is a prefix of it.
        var untrimmed = AudioFile.DecodeMono(LiveRecording(packets, discardSamples: 0), "live.webm").Samples;
        Assert.InRange(untrimmed.Length - expected.Length, 1, 959); // less than one 20 ms frame
        Assert.Equal(expected, untrimmed.Take(expected.Length));

        var trimmed = AudioFile.DecodeMono(LiveRecording(packets, untrimmed.Length - expected.Length), "live.webm").Samples;
        Assert.Equal(expected, trimmed);
    }

    [Fact]
    public void ADamagedClusterFailsItsCrc()
    {
        var data = Bytes("mono-440-16k.mka");
        data[^200] ^= 0x08; // inside the last cluster's audio

        var ex = Assert.Throws<SynthioException>(() => AudioFile.DecodeMono(data, "voice.mka"));

        Assert.Equal(DiagnosticCodes.UnreadableAudio, ex.Code);
        Assert.Contains("CRC-32", ex.Message);
    }

    [Fact]
    public void OtherCodecsAndMp4SayWhatTheyAreAndHowToConvert()
    {
        var (packets, _) = OggOpusDecoder.ReadPackets(Bytes("mono-440-16k.opus"), "ogg");
        var vorbis = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(LiveRecording(packets, 0)).Replace("A_OPUS", "A_VORB"));
        var mp4 = new byte[64];
        "ftypM4A "u8.CopyTo(mp4.AsSpan(4));

        var codecError = Assert.Throws<SynthioException>(() => AudioFile.DecodeMono(vorbis, "old.webm"));
        var mp4Error = Assert.Throws<SynthioException>(() => AudioFile.DecodeMono(mp4, "memo.m4a"));

        Assert.Equal(DiagnosticCodes.NotAudioFile, codecError.Code);
        Assert.Contains("A_VORB", codecError.Message);
        var wmaError = Assert.Throws<SynthioException>(() => AudioFile.DecodeMono(new byte[64], "call.wma"));
        Assert.Equal(DiagnosticCodes.NotAudioFile, mp4Error.Code);
        Assert.Contains("'memo.m4a' is AAC (MP4) audio, which is not read", mp4Error.Message);
        Assert.Contains("'call.wma' is Windows Media (WMA) audio, which is not read", wmaError.Message);
        Assert.Contains("is AAC (MP4) audio, which is not read", AudioFile.NotReadReason("memo.m4a"));
        Assert.Contains("ffmpeg -i \"memo.m4a\" \"memo.wav\"", AudioFile.NotReadReason("memo.m4a"));
        Assert.Contains("is not a WAV", AudioFile.NotReadReason("notes.txt"));
    }

    /// <summary>
    /// A WebM file laid out as a browser records it: a segment and clusters of unknown size, with the packets laced
    /// three to a block, by turns without lacing, with Xiph lacing and with EBML lacing.
    /// </summary>
    private static byte[] LiveRecording(IReadOnlyList<byte[]> packets, int discardSamples)
    {
        var audio = packets.Skip(2).ToList(); // OpusHead, OpusTags
        var clusters = new List<byte>();
        for (var first = 0; first < audio.Count; first += 12)
        {
            var cluster = new List<byte>(Element(0xE7, [(byte)(first / 12)])); // timecode
            for (var start = first; start < Math.Min(first + 12, audio.Count); start += 3)
            {
                var frames = audio.Skip(start).Take(3).ToList();
                var lacing = frames.Count == 1 ? 0 : (start / 3 % 3) switch { 0 => 0, 1 => 1, _ => 3 };
                var blocks = lacing == 0 ? frames.Select(f => BlockBody([f], 0)).ToList() : [BlockBody(frames, lacing)];
                foreach (var (body, index) in blocks.Select((b, i) => (b, i)))
                {
                    var last = start + 3 >= audio.Count && index == blocks.Count - 1;
                    cluster.AddRange(last && discardSamples > 0
                        ? Element(0xA0, [.. Element(0xA1, body), .. Element(0x75A2, BigEndian((long)Math.Round(discardSamples * 1e9 / 48000)))])
                        : Element(0xA3, body));
                }
            }

            clusters.AddRange([0x1F, 0x43, 0xB6, 0x75, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
            clusters.AddRange(cluster);
        }

        var track = Element(0xAE, [.. Element(0xD7, [1]), .. Element(0x83, [2]), .. Element(0x86, "A_OPUS"u8.ToArray()), .. Element(0x63A2, packets[0])]);
        return
        [
            .. Element(0x1A45DFA3, Element(0x4282, "webm"u8.ToArray())),
            0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            .. Element(0x1654AE6B, track),
            .. clusters,
        ];
    }

    private static byte[] BlockBody(IReadOnlyList<byte[]> frames, int lacing)
    {
        var body = new List<byte> { 0x81, 0, 0, (byte)(0x80 | (lacing << 1)) }; // track 1, timecode 0, keyframe
        if (lacing != 0)
        {
            body.Add((byte)(frames.Count - 1));
            if (lacing == 1)
            {
                foreach (var frame in frames.Take(frames.Count - 1))
                {
                    body.AddRange(Enumerable.Repeat((byte)255, frame.Length / 255));
                    body.Add((byte)(frame.Length % 255));
                }
            }
            else
            {
                body.AddRange(Size(frames[0].Length, 2));
                for (var i = 1; i < frames.Count - 1; i++)
                {
                    body.AddRange(Size(frames[i].Length - frames[i - 1].Length + 8191, 2)); // signed, biased by 2^13 - 1
                }
            }
        }

        foreach (var frame in frames)
        {
            body.AddRange(frame);
        }

        return [.. body];
    }

    private static byte[] Element(uint id, byte[] body)
    {
        var idBytes = BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(id)).SkipWhile(b => b == 0);
        return [.. idBytes, .. Size(body.Length, 8), .. body];
    }

    /// <summary>An EBML variable-length number in <paramref name="width"/> bytes.</summary>
    private static byte[] Size(long value, int width)
    {
        var bytes = new byte[width];
        for (var i = width - 1; i >= 0; i--)
        {
            bytes[i] = (byte)value;
            value >>= 8;
        }

        bytes[0] |= (byte)(0x80 >> (width - 1));
        return bytes;
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
