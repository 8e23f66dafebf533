using System.Buffers.Binary;
using System.Text;
using Synthio.Diagnostics;

namespace Synthio.Audio;

/// <summary>
/// Decodes Opus audio in WebM or Matroska, what a browser's MediaRecorder writes. The EBML elements are walked
/// in order, stepping into the few that hold what is needed (the track list, clusters, block groups) and over
/// the rest, so elements of unknown size (a live recording's segment and clusters) read like any other. The
/// first Opus track's blocks are unlaced (Xiph, EBML or fixed-size lacing) into packets; the track's OpusHead
/// gives pre-skip and gain, and a block's DiscardPadding trims the end. A CRC-32 element in the track list,
/// a cluster or a block group is checked against the element that holds it.
/// </summary>
internal static class MatroskaOpusDecoder
{
    private const uint EbmlHeader = 0x1A45DFA3;
    private const uint Segment = 0x18538067;
    private const uint Tracks = 0x1654AE6B;
    private const uint TrackEntry = 0xAE;
    private const uint TrackNumber = 0xD7;
    private const uint CodecId = 0x86;
    private const uint CodecPrivate = 0x63A2;
    private const uint Cluster = 0x1F43B675;
    private const uint SimpleBlock = 0xA3;
    private const uint BlockGroup = 0xA0;
    private const uint Block = 0xA1;
    private const uint DiscardPadding = 0x75A2;
    private const uint Crc32 = 0xBF;

    /// <summary>Elements stepped into: their children are read in turn.</summary>
    private static readonly HashSet<uint> Containers = [Segment, Tracks, TrackEntry, Cluster, BlockGroup];

    private sealed class Track
    {
        public long Number = -1;
        public string Codec = "";
        public byte[]? Head;
    }

    private sealed record LacedBlock(long Track, List<byte[]> Frames)
    {
        public long DiscardNanoseconds { get; set; }
    }

    public static AudioBuffer DecodeMono(ReadOnlySpan<byte> data, string name)
    {
        var tracks = new List<Track>();
        var blocks = new List<LacedBlock>();
        var position = 0;
        while (position < data.Length)
        {
            var start = position;
            var id = ReadId(data, ref position, name);
            var size = ReadSize(data, ref position, name);
            if (Containers.Contains(id))
            {
                if (id == TrackEntry)
                {
                    tracks.Add(new Track());
                }

                if (size is { } known)
                {
                    CheckCrc(data, position, known, name, start);
                }

                continue; // the children follow at once
            }

            if (size is not { } length)
            {
                throw Malformed(name, $"the element at byte {start} has no size, and only a segment or cluster may lack one");
            }

            if (length > data.Length - position)
            {
                throw Malformed(name, $"it is cut off inside the element at byte {start}");
            }

            var body = data.Slice(position, (int)length);
            position += (int)length;
            switch (id)
            {
                case EbmlHeader:
                    var docType = FindString(body, 0x4282, name);
                    if (docType is not ("webm" or "matroska"))
                    {
                        throw new SynthioException(DiagnosticCodes.NotAudioFile, $"'{name}' is an EBML file of type '{docType}', not WebM or Matroska", name);
                    }

                    break;
                case TrackNumber when tracks.Count > 0:
                    tracks[^1].Number = (long)ReadUnsigned(body);
                    break;
                case CodecId when tracks.Count > 0:
                    tracks[^1].Codec = Encoding.ASCII.GetString(body).TrimEnd('\0');
                    break;
                case CodecPrivate when tracks.Count > 0:
                    tracks[^1].Head = body.ToArray();
                    break;
                case SimpleBlock or Block:
                    blocks.Add(Unlace(body, name, start));
                    break;
                case DiscardPadding when blocks.Count > 0:
                    blocks[^1].DiscardNanoseconds = ReadSigned(body);
                    break;
            }
        }

        var opusTrack = tracks.FirstOrDefault(t => t.Codec == "A_OPUS");
        if (opusTrack is null)
        {
            var codecs = tracks.Select(t => t.Codec).Where(c => c.StartsWith("A_", StringComparison.Ordinal)).ToList();
            throw new SynthioException(
                DiagnosticCodes.NotAudioFile,
                codecs.Count == 0
                    ? $"'{name}' is a WebM/Matroska file without an audio track"
                    : $"'{name}' holds {string.Join(", ", codecs)} audio in WebM/Matroska; only Opus is read there: convert it to {AudioFile.FormatList}",
                name);
        }

        var opus = new OpusPacketDecoder(opusTrack.Head ?? throw Malformed(name, "its Opus track has no codec header (CodecPrivate)"), name, Malformed);
        var mono = new List<float>(OpusPacketDecoder.Rate * 5);
        foreach (var block in blocks.Where(b => b.Track == opusTrack.Number))
        {
            var decoded = 0;
            foreach (var frame in block.Frames)
            {
                decoded += opus.Decode(frame, mono);
            }

            // Padding the encoder added to fill the block's last frame.
            var discard = (int)Math.Clamp(Math.Round(block.DiscardNanoseconds * (OpusPacketDecoder.Rate / 1e9)), 0, decoded);
            mono.RemoveRange(mono.Count - discard, discard);
        }

        return opus.Finish(mono, mono.Count);
    }

    /// <summary>A block's track and frames (Matroska's block structure: track, timecode, flags, lacing).</summary>
    private static LacedBlock Unlace(ReadOnlySpan<byte> block, string name, int at)
    {
        var position = 0;
        var track = ReadSize(block, ref position, name) ?? throw Malformed(name, $"the block at byte {at} names no track");
        position += 3; // timecode (16 bits) and flags
        if (position > block.Length)
        {
            throw Malformed(name, $"the block at byte {at} is cut off");
        }

        var lacing = (block[position - 1] >> 1) & 3;
        var frames = new List<byte[]>();
        if (lacing == 0)
        {
            frames.Add(block[position..].ToArray());
            return new LacedBlock(track, frames);
        }

        if (position >= block.Length)
        {
            throw Malformed(name, $"the block at byte {at} is cut off");
        }

        var count = block[position++] + 1;
        var sizes = new long[count];
        switch (lacing)
        {
            case 1: // Xiph: each size as a run of 255s and a last byte under 255
                for (var i = 0; i < count - 1; i++)
                {
                    int b;
                    do
                    {
                        if (position >= block.Length)
                        {
                            throw Malformed(name, $"the lacing of the block at byte {at} is cut off");
                        }

                        b = block[position++];
                        sizes[i] += b;
                    }
                    while (b == 255);
                }

                break;
            case 3: // EBML: the first size, then each next one as a signed difference
                sizes[0] = ReadSize(block, ref position, name) ?? throw Malformed(name, $"the lacing of the block at byte {at} is invalid");
                for (var i = 1; i < count - 1; i++)
                {
                    var before = position;
                    var raw = ReadSize(block, ref position, name) ?? throw Malformed(name, $"the lacing of the block at byte {at} is invalid");
                    var width = position - before;
                    sizes[i] = sizes[i - 1] + raw - ((1L << ((7 * width) - 1)) - 1);
                }

                break;
        }

        var remaining = block.Length - position;
        if (lacing == 2)
        {
            if (remaining % count != 0)
            {
                throw Malformed(name, $"the block at byte {at} does not split into {count} equal frames");
            }

            Array.Fill(sizes, remaining / count);
        }
        else
        {
            sizes[count - 1] = remaining - sizes[..^1].Sum();
        }

        foreach (var size in sizes)
        {
            if (size < 0 || size > block.Length - position)
            {
                throw Malformed(name, $"the lacing of the block at byte {at} does not fit the block");
            }

            frames.Add(block.Slice(position, (int)size).ToArray());
            position += (int)size;
        }

        return new LacedBlock(track, frames);
    }

    /// <summary>When an element's first child is a CRC-32, it must match the rest of the element's body.</summary>
    private static void CheckCrc(ReadOnlySpan<byte> data, int bodyStart, long bodySize, string name, int at)
    {
        if (bodySize < 6 || bodySize > data.Length - bodyStart || data[bodyStart] != Crc32 || data[bodyStart + 1] != 0x84)
        {
            return;
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(data[(bodyStart + 2)..]);
        if (Crc32Ieee(data.Slice(bodyStart + 6, (int)bodySize - 6)) != stored)
        {
            throw Malformed(name, $"the element at byte {at} fails its CRC-32 check");
        }
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(i =>
    {
        var r = (uint)i;
        for (var k = 0; k < 8; k++)
        {
            r = (r & 1) != 0 ? (r >> 1) ^ 0xEDB8_8320 : r >> 1;
        }

        return r;
    }).ToArray();

    // The CRC-32 of IEEE 802.3 (reflected, all ones in and out), which EBML's CRC-32 element stores.
    private static uint Crc32Ieee(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in bytes)
        {
            crc = (crc >> 8) ^ CrcTable[(crc ^ b) & 0xFF];
        }

        return ~crc;
    }

    /// <summary>An element ID: 1–4 bytes, its length marker kept.</summary>
    private static uint ReadId(ReadOnlySpan<byte> data, ref int position, string name)
    {
        var width = position < data.Length ? System.Numerics.BitOperations.LeadingZeroCount((uint)data[position]) - 23 : 0;
        if (width is < 1 or > 4 || position + width > data.Length)
        {
            throw Malformed(name, $"no element where one should start (byte {position})");
        }

        uint id = 0;
        for (var i = 0; i < width; i++)
        {
            id = (id << 8) | data[position++];
        }

        return id;
    }

    /// <summary>A variable-length size (1–8 bytes, its length marker removed); null when all its bits are set: "unknown".</summary>
    private static long? ReadSize(ReadOnlySpan<byte> data, ref int position, string name)
    {
        var width = position < data.Length ? System.Numerics.BitOperations.LeadingZeroCount((uint)data[position]) - 23 : 0;
        if (width is < 1 or > 8 || position + width > data.Length)
        {
            throw Malformed(name, $"an element's size is invalid or cut off (byte {position})");
        }

        long value = data[position++] & (0xFF >> width);
        var allOnes = value == (0xFF >> width);
        for (var i = 1; i < width; i++)
        {
            allOnes &= data[position] == 0xFF;
            value = (value << 8) | data[position++];
        }

        return allOnes ? null : value;
    }

    private static ulong ReadUnsigned(ReadOnlySpan<byte> body)
    {
        ulong value = 0;
        foreach (var b in body[..Math.Min(8, body.Length)])
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static long ReadSigned(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return 0;
        }

        var value = (long)ReadUnsigned(body);
        var bits = 8 * Math.Min(8, body.Length);
        return bits < 64 && (value & (1L << (bits - 1))) != 0 ? value - (1L << bits) : value;
    }

    /// <summary>The string value of the first child with <paramref name="id"/> in a master element's body.</summary>
    private static string? FindString(ReadOnlySpan<byte> body, uint id, string name)
    {
        var position = 0;
        while (position < body.Length)
        {
            var child = ReadId(body, ref position, name);
            var size = ReadSize(body, ref position, name);
            if (size is not { } length || length > body.Length - position)
            {
                return null;
            }

            if (child == id)
            {
                return Encoding.ASCII.GetString(body.Slice(position, (int)length)).TrimEnd('\0');
            }

            position += (int)length;
        }

        return null;
    }

    private static SynthioException Malformed(string name, string reason) =>
        new(DiagnosticCodes.UnreadableAudio, $"'{name}' is not a valid WebM/Matroska file: {reason}", name);
}
