using System.Buffers.Binary;
using System.Security.Cryptography;
using Synthio.Diagnostics;

namespace Synthio.Audio;

/// <summary>
/// Decodes FLAC streams (RFC 9639): every subframe kind (constant, verbatim, fixed, LPC), both Rice codings
/// with escapes, wasted bits, the three stereo decorrelations, fixed and variable block sizes, 4–32 bits and
/// 1–8 channels. Each frame's CRC-16 is checked, and so is the stream's MD5 signature when the encoder wrote
/// one, so a damaged file or a decoding mistake is an error, never quietly wrong audio. No FLAC decoder is
/// served as a package here, and the format is small enough to own.
/// </summary>
internal static class FlacDecoder
{
    /// <summary>Decodes <paramref name="data"/> (which may start with an ID3v2 tag) to one array per channel, scaled to [-1, 1).</summary>
    public static WavData Decode(ReadOnlySpan<byte> data, string name)
    {
        var offset = AudioFile.SkipId3v2(data);
        if (data.Length - offset < 4 || !data.Slice(offset, 4).SequenceEqual("fLaC"u8))
        {
            throw Malformed(name, "it does not start with the fLaC marker");
        }

        var info = ReadMetadata(data, offset + 4, name, out var framesStart);
        if (info.TotalSamples > int.MaxValue)
        {
            throw Malformed(name, $"its header gives {info.TotalSamples} samples, more than one clip can hold");
        }

        // A header's length is only a claim until the frames bear it out, so start modestly and grow.
        var capacity = (int)Math.Min(info.TotalSamples > 0 ? info.TotalSamples : EstimateSamples(data.Length - framesStart, info), 1 << 22);
        var samples = new int[info.Channels][];
        for (var c = 0; c < samples.Length; c++)
        {
            samples[c] = new int[capacity];
        }

        var decoded = 0L;
        var position = framesStart;
        var block = new long[info.Channels][];
        while (position < data.Length && (info.TotalSamples == 0 || decoded < info.TotalSamples))
        {
            if (!LooksLikeFrame(data, position))
            {
                // With an unknown length the stream ends at its last frame; what follows (an ID3v1 tag) is not audio.
                if (info.TotalSamples == 0 && decoded > 0)
                {
                    break;
                }

                throw Malformed(name, $"no frame where one should start (byte {position})");
            }

            var blockSize = DecodeFrame(data, ref position, info, block, name);
            if (decoded + blockSize > int.MaxValue)
            {
                throw Malformed(name, "it holds more samples than one clip can");
            }

            for (var c = 0; c < info.Channels; c++)
            {
                if (decoded + blockSize > samples[c].Length)
                {
                    Array.Resize(ref samples[c], (int)Math.Min(int.MaxValue, Math.Max(decoded + blockSize, samples[c].Length * 2L)));
                }

                var target = samples[c];
                var source = block[c];
                for (var i = 0; i < blockSize; i++)
                {
                    target[decoded + i] = (int)source[i];
                }
            }

            decoded += blockSize;
        }

        if (info.TotalSamples > 0 && decoded < info.TotalSamples)
        {
            throw Malformed(name, $"it ends after {decoded} of its {info.TotalSamples} samples");
        }

        var length = (int)(info.TotalSamples > 0 ? info.TotalSamples : decoded);
        CheckSignature(samples, length, info, name);

        var scale = 1.0 / (1L << (info.BitsPerSample - 1));
        var channels = new double[info.Channels][];
        for (var c = 0; c < channels.Length; c++)
        {
            channels[c] = new double[length];
            for (var i = 0; i < length; i++)
            {
                channels[c][i] = samples[c][i] * scale;
            }
        }

        return new WavData(channels, info.SampleRate, info.BitsPerSample switch
        {
            <= 8 => WavSampleFormat.Pcm8,
            <= 16 => WavSampleFormat.Pcm16,
            <= 24 => WavSampleFormat.Pcm24,
            _ => WavSampleFormat.Pcm32,
        });
    }

    private sealed record StreamInfo(int MaxBlockSize, int SampleRate, int Channels, int BitsPerSample, long TotalSamples, byte[] Md5);

    private static StreamInfo ReadMetadata(ReadOnlySpan<byte> data, int position, string name, out int framesStart)
    {
        StreamInfo? info = null;
        while (true)
        {
            if (position + 4 > data.Length)
            {
                throw Malformed(name, "its metadata ends before its audio starts");
            }

            var header = data[position];
            var last = (header & 0x80) != 0;
            var type = header & 0x7F;
            var length = (data[position + 1] << 16) | (data[position + 2] << 8) | data[position + 3];
            position += 4;
            if (position + length > data.Length)
            {
                throw Malformed(name, "a metadata block runs past the end of the file");
            }

            if (type == 0)
            {
                if (length < 34)
                {
                    throw Malformed(name, "its STREAMINFO block is too short");
                }

                var block = data.Slice(position, 34);
                var maxBlock = BinaryPrimitives.ReadUInt16BigEndian(block[2..]);
                var packed = BinaryPrimitives.ReadUInt64BigEndian(block[10..]);
                var sampleRate = (int)(packed >> 44);
                var channels = (int)((packed >> 41) & 0x7) + 1;
                var bits = (int)((packed >> 36) & 0x1F) + 1;
                var total = (long)(packed & 0xF_FFFF_FFFF);
                if (sampleRate == 0 || bits < 4)
                {
                    throw Malformed(name, $"its STREAMINFO block gives {sampleRate} Hz and {bits} bits per sample");
                }

                info = new StreamInfo(maxBlock, sampleRate, channels, bits, total, block.Slice(18, 16).ToArray());
            }
            else if (type == 127)
            {
                throw Malformed(name, "it has a metadata block of the forbidden type 127");
            }

            position += length;
            if (last)
            {
                break;
            }
        }

        framesStart = position;
        return info ?? throw Malformed(name, "it has no STREAMINFO block");
    }

    private static int EstimateSamples(long bytes, StreamInfo info) =>
        (int)Math.Clamp(bytes * 8 / Math.Max(1, info.Channels * info.BitsPerSample) * 2, 4096, 1 << 24);

    private static bool LooksLikeFrame(ReadOnlySpan<byte> data, int position) =>
        position + 2 <= data.Length && data[position] == 0xFF && (data[position + 1] & 0xFE) == 0xF8;

    private static int DecodeFrame(ReadOnlySpan<byte> data, ref int position, StreamInfo info, long[][] block, string name)
    {
        var start = position;
        var reader = new BitReader(data, start);
        reader.Skip(16); // sync code, reserved bit, blocking strategy
        var blockSizeCode = (int)reader.Read(4);
        var sampleRateCode = (int)reader.Read(4);
        var assignment = (int)reader.Read(4);
        var sampleSizeCode = (int)reader.Read(3);
        if (reader.Read(1) != 0)
        {
            throw Malformed(name, $"a frame header's reserved bit is set (byte {start})");
        }

        ReadCodedNumber(ref reader, name, start);
        var blockSize = blockSizeCode switch
        {
            0 => throw Malformed(name, $"a frame uses the reserved block size code (byte {start})"),
            1 => 192,
            <= 5 => 576 << (blockSizeCode - 2),
            6 => (int)reader.Read(8) + 1,
            7 => (int)reader.Read(16) + 1,
            _ => 256 << (blockSizeCode - 8),
        };
        var sampleRate = sampleRateCode switch
        {
            0 => info.SampleRate,
            1 => 88200,
            2 => 176400,
            3 => 192000,
            4 => 8000,
            5 => 16000,
            6 => 22050,
            7 => 24000,
            8 => 32000,
            9 => 44100,
            10 => 48000,
            11 => 96000,
            12 => (int)reader.Read(8) * 1000,
            13 => (int)reader.Read(16),
            14 => (int)reader.Read(16) * 10,
            _ => throw Malformed(name, $"a frame uses the invalid sample rate code (byte {start})"),
        };
        var bits = sampleSizeCode switch
        {
            0 => info.BitsPerSample,
            1 => 8,
            2 => 12,
            4 => 16,
            5 => 20,
            6 => 24,
            7 => 32,
            _ => throw Malformed(name, $"a frame uses the reserved sample size code (byte {start})"),
        };
        var channels = assignment switch
        {
            <= 7 => assignment + 1,
            <= 10 => 2,
            _ => throw Malformed(name, $"a frame uses a reserved channel assignment (byte {start})"),
        };
        if (sampleRate != info.SampleRate || bits != info.BitsPerSample || channels != info.Channels)
        {
            throw Malformed(name, $"a frame at byte {start} changes the stream's format ({sampleRate} Hz, {bits} bits, {channels} channels)");
        }

        var headerEnd = reader.BytePosition;
        if (Crc8(data[start..headerEnd]) != data[headerEnd])
        {
            throw Malformed(name, $"a frame header fails its CRC-8 check (byte {start})");
        }

        reader = new BitReader(data, headerEnd + 1);
        for (var c = 0; c < channels; c++)
        {
            if (block[c] is null || block[c].Length < blockSize)
            {
                block[c] = new long[Math.Max(blockSize, info.MaxBlockSize)];
            }

            // The side channel carries one bit more than the others.
            var isSide = (assignment == 8 && c == 1) || (assignment == 9 && c == 0) || (assignment == 10 && c == 1);
            DecodeSubframe(ref reader, block[c].AsSpan(0, blockSize), bits + (isSide ? 1 : 0), name, start);
        }

        reader.AlignToByte();
        var end = reader.BytePosition;
        if (end + 2 > data.Length)
        {
            throw Malformed(name, $"the frame at byte {start} is cut off");
        }

        if (Crc16(data[start..end]) != BinaryPrimitives.ReadUInt16BigEndian(data[end..]))
        {
            throw Malformed(name, $"the frame at byte {start} fails its CRC-16 check");
        }

        position = end + 2;
        Decorrelate(assignment, block, blockSize);
        return blockSize;
    }

    private static void ReadCodedNumber(ref BitReader reader, string name, int start)
    {
        // UTF-8-like: the count of leading ones in the first byte is the byte count.
        var first = (int)reader.Read(8);
        var extra = first switch
        {
            < 0x80 => 0,
            >= 0xC0 and < 0xE0 => 1,
            >= 0xE0 and < 0xF0 => 2,
            >= 0xF0 and < 0xF8 => 3,
            >= 0xF8 and < 0xFC => 4,
            >= 0xFC and < 0xFE => 5,
            0xFE => 6,
            _ => throw Malformed(name, $"a frame's coded number is invalid (byte {start})"),
        };
        for (var i = 0; i < extra; i++)
        {
            if ((reader.Read(8) & 0xC0) != 0x80)
            {
                throw Malformed(name, $"a frame's coded number is invalid (byte {start})");
            }
        }
    }

    private static void DecodeSubframe(ref BitReader reader, Span<long> output, int bits, string name, int start)
    {
        if (reader.Read(1) != 0)
        {
            throw Malformed(name, $"a subframe's padding bit is set (frame at byte {start})");
        }

        var type = (int)reader.Read(6);
        var wasted = 0;
        if (reader.Read(1) == 1)
        {
            wasted = reader.ReadUnary() + 1;
            bits -= wasted;
            if (bits <= 0)
            {
                throw Malformed(name, $"a subframe wastes all its bits (frame at byte {start})");
            }
        }

        switch (type)
        {
            case 0:
                output.Fill(reader.ReadSigned(bits));
                break;
            case 1:
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = reader.ReadSigned(bits);
                }

                break;
            case >= 8 and <= 12:
                DecodeFixed(ref reader, output, bits, type - 8, name, start);
                break;
            case >= 32:
                DecodeLpc(ref reader, output, bits, type - 31, name, start);
                break;
            default:
                throw Malformed(name, $"a subframe uses the reserved type {type} (frame at byte {start})");
        }

        if (wasted > 0)
        {
            for (var i = 0; i < output.Length; i++)
            {
                output[i] <<= wasted;
            }
        }
    }

    private static void DecodeFixed(ref BitReader reader, Span<long> output, int bits, int order, string name, int start)
    {
        if (order > output.Length)
        {
            throw Malformed(name, $"a subframe's predictor order exceeds its block (frame at byte {start})");
        }

        for (var i = 0; i < order; i++)
        {
            output[i] = reader.ReadSigned(bits);
        }

        DecodeResidual(ref reader, output, order, name, start);
        for (var i = order; i < output.Length; i++)
        {
            output[i] += order switch
            {
                0 => 0,
                1 => output[i - 1],
                2 => (2 * output[i - 1]) - output[i - 2],
                3 => (3 * output[i - 1]) - (3 * output[i - 2]) + output[i - 3],
                _ => (4 * output[i - 1]) - (6 * output[i - 2]) + (4 * output[i - 3]) - output[i - 4],
            };
        }
    }

    private static void DecodeLpc(ref BitReader reader, Span<long> output, int bits, int order, string name, int start)
    {
        if (order > output.Length)
        {
            throw Malformed(name, $"a subframe's predictor order exceeds its block (frame at byte {start})");
        }

        for (var i = 0; i < order; i++)
        {
            output[i] = reader.ReadSigned(bits);
        }

        var precision = (int)reader.Read(4) + 1;
        if (precision == 16)
        {
            throw Malformed(name, $"a subframe uses the invalid coefficient precision (frame at byte {start})");
        }

        var shift = (int)reader.ReadSigned(5);
        if (shift < 0)
        {
            throw Malformed(name, $"a subframe has a negative prediction shift (frame at byte {start})");
        }

        Span<long> coefficients = stackalloc long[order];
        for (var j = 0; j < order; j++)
        {
            coefficients[j] = reader.ReadSigned(precision);
        }

        DecodeResidual(ref reader, output, order, name, start);
        for (var i = order; i < output.Length; i++)
        {
            long sum = 0;
            for (var j = 0; j < order; j++)
            {
                sum += coefficients[j] * output[i - 1 - j];
            }

            output[i] += sum >> shift;
        }
    }

    private static void DecodeResidual(ref BitReader reader, Span<long> output, int order, string name, int start)
    {
        var method = (int)reader.Read(2);
        if (method > 1)
        {
            throw Malformed(name, $"a subframe uses the reserved residual coding {method} (frame at byte {start})");
        }

        var parameterBits = method == 0 ? 4 : 5;
        var escape = (1 << parameterBits) - 1;
        var partitionOrder = (int)reader.Read(4);
        var partitions = 1 << partitionOrder;
        var perPartition = output.Length >> partitionOrder;
        if ((perPartition << partitionOrder) != output.Length || perPartition < order)
        {
            throw Malformed(name, $"a subframe's residual partitions do not fit its block (frame at byte {start})");
        }

        var index = order;
        for (var p = 0; p < partitions; p++)
        {
            var count = p == 0 ? perPartition - order : perPartition;
            var parameter = (int)reader.Read(parameterBits);
            if (parameter == escape)
            {
                var raw = (int)reader.Read(5);
                for (var i = 0; i < count; i++)
                {
                    output[index++] = raw == 0 ? 0 : reader.ReadSigned(raw);
                }
            }
            else
            {
                for (var i = 0; i < count; i++)
                {
                    var quotient = (long)reader.ReadUnary();
                    var folded = (quotient << parameter) | (parameter == 0 ? 0 : (long)reader.Read(parameter));
                    output[index++] = (folded >> 1) ^ -(folded & 1);
                }
            }
        }
    }

    private static void Decorrelate(int assignment, long[][] block, int length)
    {
        switch (assignment)
        {
            case 8: // left, side
                for (var i = 0; i < length; i++)
                {
                    block[1][i] = block[0][i] - block[1][i];
                }

                break;
            case 9: // side, right
                for (var i = 0; i < length; i++)
                {
                    block[0][i] += block[1][i];
                }

                break;
            case 10: // mid, side
                for (var i = 0; i < length; i++)
                {
                    var side = block[1][i];
                    var mid = (block[0][i] << 1) | (side & 1);
                    block[0][i] = (mid + side) >> 1;
                    block[1][i] = (mid - side) >> 1;
                }

                break;
        }
    }

    private static void CheckSignature(int[][] samples, int length, StreamInfo info, string name)
    {
        if (info.Md5.All(b => b == 0))
        {
            return; // the encoder did not compute one
        }

        // The signature covers the samples interleaved, little-endian, in whole bytes.
        var bytesPerSample = (info.BitsPerSample + 7) / 8;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var chunk = new byte[4096 * info.Channels * bytesPerSample];
        var filled = 0;
        for (var i = 0; i < length; i++)
        {
            for (var c = 0; c < info.Channels; c++)
            {
                var value = samples[c][i];
                for (var b = 0; b < bytesPerSample; b++)
                {
                    chunk[filled++] = (byte)(value >> (8 * b));
                }
            }

            if (filled == chunk.Length)
            {
                md5.AppendData(chunk);
                filled = 0;
            }
        }

        md5.AppendData(chunk, 0, filled);
        if (!md5.GetHashAndReset().AsSpan().SequenceEqual(info.Md5))
        {
            throw Malformed(name, "its decoded audio does not match the MD5 signature in its header");
        }
    }

    private static byte Crc8(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
            }
        }

        return (byte)crc;
    }

    private static ushort Crc16(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b << 8;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }

        return (ushort)crc;
    }

    private static SynthioException Malformed(string name, string reason) =>
        new(DiagnosticCodes.UnreadableAudio, $"'{name}' is not a valid FLAC file: {reason}", name);

    /// <summary>Reads big-endian bit fields; reading past the end yields zero bits, which the frame's CRC then rejects.</summary>
    private ref struct BitReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private long _bit;

        public BitReader(ReadOnlySpan<byte> data, int byteOffset)
        {
            _data = data;
            _bit = byteOffset * 8L;
        }

        public int BytePosition => (int)((_bit + 7) >> 3);

        public void Skip(int bits) => _bit += bits;

        public void AlignToByte() => _bit = (_bit + 7) & ~7L;

        /// <summary>Reads up to 64 bits as an unsigned number.</summary>
        public ulong Read(int count)
        {
            if (count == 0)
            {
                return 0;
            }

            if (count > 32)
            {
                // Only a 32-bit stream's side channel (33 bits) gets here.
                var high = Read(count - 32);
                return (high << 32) | Read(32);
            }

            var byteIndex = (int)(_bit >> 3);
            var skip = (int)(_bit & 7);
            if (byteIndex + 8 <= _data.Length)
            {
                var word = BinaryPrimitives.ReadUInt64BigEndian(_data.Slice(byteIndex, 8));
                _bit += count;
                return (word << skip) >> (64 - count);
            }

            // Near the end: gather the (at most 5) bytes holding the field, then cut it out.
            ulong window = 0;
            for (var i = 0; i < 5; i++)
            {
                var at = byteIndex + i;
                window = (window << 8) | (at < _data.Length ? _data[at] : 0u);
            }

            _bit += count;
            return (window >> (40 - skip - count)) & ((1UL << count) - 1);
        }

        public long ReadSigned(int count)
        {
            var value = (long)Read(count);
            return count == 0 ? 0 : (value << (64 - count)) >> (64 - count);
        }

        /// <summary>Counts zero bits up to and past the next one bit.</summary>
        public int ReadUnary()
        {
            var zeros = 0;
            var at = (int)(_bit >> 3);
            if (at + 8 <= _data.Length)
            {
                var word = BinaryPrimitives.ReadUInt64BigEndian(_data.Slice(at, 8)) << (int)(_bit & 7);
                if (word != 0)
                {
                    var leading = System.Numerics.BitOperations.LeadingZeroCount(word);
                    _bit += leading + 1;
                    return leading;
                }
            }

            while (true)
            {
                var byteIndex = (int)(_bit >> 3);
                if (byteIndex >= _data.Length)
                {
                    return zeros; // truncated: the CRC check reports it
                }

                var skip = (int)(_bit & 7);
                var remaining = (byte)(_data[byteIndex] << skip);
                if (remaining != 0)
                {
                    var leading = System.Numerics.BitOperations.LeadingZeroCount((uint)remaining) - 24;
                    _bit += leading + 1;
                    return zeros + leading;
                }

                zeros += 8 - skip;
                _bit += 8 - skip;
            }
        }
    }
}
