using System.Buffers.Binary;
using Synthio.Diagnostics;

namespace Synthio.Audio;

/// <summary>
/// Decodes Ogg Opus (RFC 7845), the format of most voice notes and browser recordings: the Ogg pages of
/// the first logical stream (each page's CRC checked) are joined into packets, which Concentus decodes at
/// 48 kHz; the header's pre-skip and the last page's granule position trim the codec's padding, and its
/// output gain is applied. Mono and stereo streams (channel mapping family 0) are read.
/// </summary>
internal static class OggOpusDecoder
{
    public static AudioBuffer DecodeMono(ReadOnlySpan<byte> data, string name)
    {
        var (packets, lastGranule) = ReadPackets(data, name);
        if (packets.Count < 2)
        {
            throw Malformed(name, "it ends before its audio starts");
        }

        var opus = new OpusPacketDecoder(packets[0], name, Malformed);
        var mono = new List<float>(OpusPacketDecoder.Rate * 5);
        foreach (var packet in packets.Skip(2)) // OpusHead, OpusTags
        {
            opus.Decode(packet, mono);
        }

        // The final granule position counts the samples meant to be heard, pre-skip included.
        return opus.Finish(mono, lastGranule >= opus.PreSkip ? lastGranule : mono.Count);
    }

    /// <summary>The packets of the first logical stream, and the granule position of its last page.</summary>
    internal static (List<byte[]> Packets, long LastGranule) ReadPackets(ReadOnlySpan<byte> data, string name)
    {
        var packets = new List<byte[]>();
        var pending = new List<byte>();
        uint? serial = null;
        long lastGranule = -1;
        var position = 0;
        while (position < data.Length)
        {
            if (data.Length - position < 27 || !data.Slice(position, 4).SequenceEqual("OggS"u8))
            {
                throw Malformed(name, $"no Ogg page where one should start (byte {position})");
            }

            var segments = data[position + 26];
            var headerLength = 27 + segments;
            if (position + headerLength > data.Length)
            {
                throw Malformed(name, $"the page at byte {position} is cut off");
            }

            var table = data.Slice(position + 27, segments);
            var bodyLength = 0;
            foreach (var lacing in table)
            {
                bodyLength += lacing;
            }

            if (position + headerLength + bodyLength > data.Length)
            {
                throw Malformed(name, $"the page at byte {position} is cut off");
            }

            var page = data.Slice(position, headerLength + bodyLength);
            if (PageCrc(page) != BinaryPrimitives.ReadUInt32LittleEndian(page[22..]))
            {
                throw Malformed(name, $"the page at byte {position} fails its CRC check");
            }

            var pageSerial = BinaryPrimitives.ReadUInt32LittleEndian(page[14..]);
            serial ??= pageSerial;
            if (pageSerial == serial)
            {
                var granule = BinaryPrimitives.ReadInt64LittleEndian(page[6..]);
                if (granule != -1)
                {
                    lastGranule = granule;
                }

                var body = page[headerLength..];
                var offset = 0;
                foreach (var lacing in table)
                {
                    pending.AddRange(body.Slice(offset, lacing));
                    offset += lacing;
                    if (lacing < 255)
                    {
                        // A lacing value under 255 ends a packet; 255 continues it, possibly on the next page.
                        packets.Add(pending.ToArray());
                        pending.Clear();
                    }
                }
            }

            position += page.Length;
        }

        return (packets, lastGranule);
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var r = i << 24;
            for (var k = 0; k < 8; k++)
            {
                r = (r & 0x8000_0000) != 0 ? (r << 1) ^ 0x04C1_1DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }

    // Ogg's CRC-32 (polynomial 0x04C11DB7, no reflection, zero start), over the page with its CRC field zeroed.
    private static uint PageCrc(ReadOnlySpan<byte> page)
    {
        uint crc = 0;
        for (var i = 0; i < page.Length; i++)
        {
            var b = i is >= 22 and < 26 ? (byte)0 : page[i];
            crc = (crc << 8) ^ CrcTable[(crc >> 24) ^ b];
        }

        return crc;
    }

    private static SynthioException Malformed(string name, string reason) =>
        new(DiagnosticCodes.UnreadableAudio, $"'{name}' is not a valid Ogg Opus file: {reason}", name);
}
