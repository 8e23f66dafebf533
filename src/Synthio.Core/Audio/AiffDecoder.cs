using System.Buffers.Binary;
using System.Text;
using Synthio.Diagnostics;

namespace Synthio.Audio;

/// <summary>
/// Reads AIFF and AIFF-C, the uncompressed formats of Apple's audio tools: big-endian PCM of 8–32 bits, and in
/// AIFF-C also little-endian PCM ("sowt") and 32- or 64-bit float ("fl32", "fl64"). The COMM chunk gives the
/// layout (its sample rate is an 80-bit extended float); the SSND chunk holds the samples after its offset.
/// The samples are put in WAV's byte order and scaled by <see cref="WavFile"/>, so a clip stored both ways reads alike.
/// </summary>
internal static class AiffDecoder
{
    public static WavData Decode(ReadOnlySpan<byte> data, string name)
    {
        var compressed = data.Slice(8, 4).SequenceEqual("AIFC"u8);
        var formSize = (long)BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        var end = (int)Math.Min(data.Length, 8 + formSize);
        int channels = 0, bits = 0;
        long frames = -1;
        double rate = 0;
        var coding = "NONE";
        ReadOnlySpan<byte> sound = default;
        var haveSound = false;
        var position = 12;
        while (position + 8 <= end)
        {
            var id = data.Slice(position, 4);
            var size = (long)BinaryPrimitives.ReadUInt32BigEndian(data[(position + 4)..]);
            var body = position + 8;
            if (size > end - body)
            {
                throw Malformed(name, $"its '{Encoding.ASCII.GetString(id)}' chunk is cut off");
            }

            var chunk = data.Slice(body, (int)size);
            if (id.SequenceEqual("COMM"u8))
            {
                if (chunk.Length < (compressed ? 22 : 18))
                {
                    throw Malformed(name, "its COMM chunk is too short");
                }

                channels = BinaryPrimitives.ReadInt16BigEndian(chunk);
                frames = BinaryPrimitives.ReadUInt32BigEndian(chunk[2..]);
                bits = BinaryPrimitives.ReadInt16BigEndian(chunk[6..]);
                rate = ExtendedToDouble(chunk.Slice(8, 10));
                if (compressed)
                {
                    coding = Encoding.ASCII.GetString(chunk.Slice(18, 4));
                }
            }
            else if (id.SequenceEqual("SSND"u8))
            {
                var offset = chunk.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(chunk) : uint.MaxValue;
                if (offset > chunk.Length - 8)
                {
                    throw Malformed(name, "its SSND chunk is too short");
                }

                sound = chunk[(8 + (int)offset)..];
                haveSound = true;
            }

            position = body + (int)size + (int)(size & 1); // chunks are padded to an even length
        }

        if (frames < 0 || !haveSound)
        {
            throw Malformed(name, frames < 0 ? "it has no COMM chunk" : "it has no SSND chunk");
        }

        var (format, width, littleEndian) = (coding, bits) switch
        {
            ("NONE" or "twos", 8) => (WavSampleFormat.Pcm8, 1, false),
            ("NONE" or "twos", 16) => (WavSampleFormat.Pcm16, 2, false),
            ("NONE" or "twos", 24) => (WavSampleFormat.Pcm24, 3, false),
            ("NONE" or "twos", 32) => (WavSampleFormat.Pcm32, 4, false),
            ("sowt", 16) => (WavSampleFormat.Pcm16, 2, true),
            ("sowt", 24) => (WavSampleFormat.Pcm24, 3, true),
            ("sowt", 32) => (WavSampleFormat.Pcm32, 4, true),
            ("fl32" or "FL32", _) => (WavSampleFormat.Float32, 4, false),
            ("fl64" or "FL64", _) => (WavSampleFormat.Float64, 8, false),
            _ => throw new SynthioException(
                DiagnosticCodes.UnreadableAudio,
                $"'{name}' is AIFF with {bits}-bit '{coding.TrimEnd()}' samples; only PCM and float AIFF is read: convert it to {AudioFile.FormatList}",
                name),
        };

        if (channels < 1 || !(rate >= 1 && rate <= 1e6))
        {
            throw Malformed(name, $"its COMM chunk gives {channels} channels at {rate} Hz");
        }

        // A file cut short keeps the whole frames it still holds.
        var count = (int)Math.Min(frames, sound.Length / (width * channels));
        var pcm = sound[..(count * width * channels)].ToArray();
        for (var at = 0; at < pcm.Length; at += width)
        {
            if (!littleEndian)
            {
                pcm.AsSpan(at, width).Reverse();
            }

            if (width == 1)
            {
                pcm[at] ^= 0x80; // AIFF's 8-bit samples are signed, WAV's offset by 128
            }
        }

        return WavFile.DecodeLinear(pcm, format, channels, (int)Math.Round(rate));
    }

    /// <summary>The 80-bit IEEE 754 extended float AIFF stores its sample rate in: sign and 15-bit exponent, 64-bit mantissa with its integer bit.</summary>
    private static double ExtendedToDouble(ReadOnlySpan<byte> x)
    {
        var exponent = ((x[0] & 0x7F) << 8) | x[1];
        var mantissa = BinaryPrimitives.ReadUInt64BigEndian(x[2..]);
        if (exponent == 0 && mantissa == 0)
        {
            return 0;
        }

        var value = mantissa * Math.Pow(2, exponent - 16383 - 63);
        return (x[0] & 0x80) != 0 ? -value : value;
    }

    private static SynthioException Malformed(string name, string reason) =>
        new(DiagnosticCodes.UnreadableAudio, $"'{name}' is not a valid AIFF file: {reason}", name);
}
