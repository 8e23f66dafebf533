using System.Buffers.Binary;
using Synthio.Diagnostics;

namespace Synthio.Audio;

/// <summary>
/// Reads and writes RIFF/WAVE files: PCM 8/16/24/32-bit, IEEE float 32/64-bit, WAVE_FORMAT_EXTENSIBLE,
/// any channel count and sample rate; also reads telephony's G.711 µ-law and A-law and the IMA and Microsoft ADPCM
/// of voice recorders (each as the 16-bit PCM it expands to). Unknown chunks (LIST, fact, …) and their pad bytes are skipped.
/// Malformed input raises <see cref="SynthioException"/> naming the file and the reason. Integer samples
/// are scaled by 1/2^(bits−1) (8-bit is offset by 128 first), so reading and writing back is bit-exact.
/// </summary>
public static class WavFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatALaw = 6;
    private const ushort FormatMuLaw = 7;
    private const ushort FormatImaAdpcm = 0x11;
    private const ushort FormatMsAdpcm = 0x02;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Reads a file and averages its channels into one.</summary>
    public static AudioBuffer ReadMono(string path) => ParseMono(AudioFile.ReadBytes(path), path);

    /// <summary>Reads a file keeping its channels apart.</summary>
    public static WavData Read(string path) => Parse(AudioFile.ReadBytes(path), path);

    /// <summary>Decodes WAV bytes keeping the channels apart; <paramref name="nameForErrors"/> names the source in errors.</summary>
    public static WavData Parse(ReadOnlySpan<byte> data, string nameForErrors)
    {
        var layout = ParseLayout(data, nameForErrors);
        var pcm = data.Slice(layout.DataOffset, layout.DataLength);
        if (layout.Coding is SampleCoding.ImaAdpcm or SampleCoding.MsAdpcm)
        {
            return new WavData(DecodeAdpcm(pcm, layout), layout.SampleRate, layout.Format);
        }

        return DecodeChannels(pcm, layout);
    }

    /// <summary>
    /// Decodes interleaved linear samples stored as WAV stores them (little-endian; 8-bit offset by 128), so that
    /// other containers of plain PCM (AIFF) scale their samples exactly as WAV does.
    /// </summary>
    internal static WavData DecodeLinear(ReadOnlySpan<byte> pcm, WavSampleFormat format, int channels, int sampleRate)
    {
        var bytesPerSample = TagAndBits(format).Bits / 8;
        return DecodeChannels(pcm, new WavLayout(format, channels, sampleRate, bytesPerSample, bytesPerSample * channels, 0, pcm.Length, SampleCoding.Linear, null));
    }

    private static WavData DecodeChannels(ReadOnlySpan<byte> pcm, WavLayout layout)
    {
        var frames = pcm.Length / layout.FrameSize;
        var channels = new double[layout.Channels][];
        for (var c = 0; c < channels.Length; c++)
        {
            channels[c] = new double[frames];
            DecodeChannel(pcm, layout, c, channels[c]);
        }

        return new WavData(channels, layout.SampleRate, layout.Format);
    }

    /// <summary>
    /// Decodes WAV bytes straight to mono (channel average), without keeping the separate channels:
    /// gives exactly the samples of <c>Parse(...).ToMono()</c>.
    /// </summary>
    public static AudioBuffer ParseMono(ReadOnlySpan<byte> data, string nameForErrors)
    {
        var layout = ParseLayout(data, nameForErrors);
        var pcm = data.Slice(layout.DataOffset, layout.DataLength);
        if (layout.Coding is SampleCoding.ImaAdpcm or SampleCoding.MsAdpcm)
        {
            return new WavData(DecodeAdpcm(pcm, layout), layout.SampleRate, layout.Format).ToMono();
        }

        var frames = pcm.Length / layout.FrameSize;
        var mono = new float[frames];
        if (layout.Channels == 1)
        {
            var decoded = new double[frames];
            DecodeChannel(pcm, layout, 0, decoded);
            for (var i = 0; i < frames; i++)
            {
                mono[i] = (float)decoded[i];
            }
        }
        else
        {
            var sum = new double[frames];
            var channel = new double[frames];
            for (var c = 0; c < layout.Channels; c++)
            {
                DecodeChannel(pcm, layout, c, channel);
                for (var i = 0; i < frames; i++)
                {
                    sum[i] += channel[i];
                }
            }

            var scale = 1.0 / layout.Channels;
            for (var i = 0; i < frames; i++)
            {
                mono[i] = (float)(sum[i] * scale);
            }
        }

        return new AudioBuffer(mono, layout.SampleRate);
    }

    /// <summary>Writes a mono buffer (16-bit PCM unless told otherwise).</summary>
    public static void WriteMono(string path, AudioBuffer audio, WavSampleFormat format = WavSampleFormat.Pcm16) =>
        File.WriteAllBytes(path, Encode(MonoAsWavData(audio, format)));

    /// <summary>Writes every channel of <paramref name="wav"/> in its <see cref="WavData.Format"/>.</summary>
    public static void Write(string path, WavData wav) => File.WriteAllBytes(path, Encode(wav));

    /// <summary>The bytes of a mono WAV file holding <paramref name="audio"/>.</summary>
    public static byte[] ToBytes(AudioBuffer audio, WavSampleFormat format = WavSampleFormat.Pcm16) => Encode(MonoAsWavData(audio, format));

    /// <summary>The bytes of a WAV file holding <paramref name="wav"/>.</summary>
    public static byte[] ToBytes(WavData wav) => Encode(wav);

    /// <summary>Writes <paramref name="wav"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, WavData wav) => stream.Write(Encode(wav));

    private static WavData MonoAsWavData(AudioBuffer audio, WavSampleFormat format)
    {
        var channel = new double[audio.Length];
        for (var i = 0; i < channel.Length; i++)
        {
            channel[i] = audio.Samples[i];
        }

        return new WavData([channel], audio.SampleRate, format);
    }

    private static WavLayout ParseLayout(ReadOnlySpan<byte> data, string name)
    {
        if (data.Length < 12 || !data[..4].SequenceEqual("RIFF"u8) || !data.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new SynthioException(DiagnosticCodes.NotAudioFile, $"'{name}' is not a RIFF/WAVE file", name);
        }

        ushort formatTag = 0;
        int channels = 0, sampleRate = 0, bitsPerSample = 0, blockAlign = 0;
        var haveFormat = false;
        int? factFrames = null;
        (int, int)[]? coefficients = null;
        long position = 12;
        while (position + 8 <= data.Length)
        {
            var at = (int)position;
            var id = data.Slice(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(at + 4, 4));
            var body = at + 8;
            var available = data.Length - body;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || available < 16)
                {
                    throw Malformed(name, "its fmt chunk is too short");
                }

                var fmt = data.Slice(body, (int)Math.Min(size, (uint)available));
                formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
                bitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
                if (formatTag == FormatExtensible)
                {
                    if (fmt.Length < 40)
                    {
                        throw Malformed(name, "its WAVE_FORMAT_EXTENSIBLE fmt chunk is too short");
                    }

                    // The sub-format GUID (at offset 24) starts with the plain format tag.
                    formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
                }

                if (formatTag == FormatMsAdpcm && fmt.Length >= 22)
                {
                    // Microsoft ADPCM's extension: extra size, samples per block, the pairs' count (at 20), the pairs.
                    var count = Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(fmt[20..]), (fmt.Length - 22) / 4);
                    coefficients = new (int, int)[count];
                    for (var k = 0; k < count; k++)
                    {
                        coefficients[k] = (BinaryPrimitives.ReadInt16LittleEndian(fmt[(22 + (4 * k))..]), BinaryPrimitives.ReadInt16LittleEndian(fmt[(24 + (4 * k))..]));
                    }
                }

                haveFormat = true;
            }
            else if (id.SequenceEqual("fact"u8) && size >= 4 && available >= 4)
            {
                // Compressed encodings say here how many frames the data decodes to (the last block may be padded).
                factFrames = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(body, 4)), int.MaxValue);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                {
                    throw Malformed(name, "its data chunk comes before any fmt chunk");
                }

                // 0xFFFFFFFF is what streaming writers leave when they cannot seek back: the data runs to the end.
                var length = size == uint.MaxValue ? (uint)available : size;
                if (length > (uint)available)
                {
                    throw Malformed(name, $"it is truncated: the data chunk declares {size} bytes but only {available} are present");
                }

                return MakeLayout(name, formatTag, channels, sampleRate, bitsPerSample, blockAlign, body, (int)length, factFrames, coefficients);
            }

            if (size > (uint)available)
            {
                throw Malformed(name, $"it is truncated: the '{ChunkName(id)}' chunk declares {size} bytes but only {available} remain");
            }

            // Chunks are word-aligned: an odd size is followed by one pad byte.
            position = (long)body + size + (size & 1);
        }

        throw Malformed(name, haveFormat ? "it has no data chunk" : "it has no fmt chunk");
    }

    private static WavLayout MakeLayout(string name, ushort formatTag, int channels, int sampleRate, int bits, int blockAlign, int offset, int length, int? factFrames, (int, int)[]? coefficients)
    {
        if (channels <= 0)
        {
            throw Malformed(name, "it declares zero channels");
        }

        if (sampleRate <= 0)
        {
            throw Malformed(name, $"it declares an invalid sample rate ({sampleRate})");
        }

        if (formatTag == FormatImaAdpcm && bits == 4)
        {
            if (blockAlign < (4 * channels) + (4 * channels) || (blockAlign - (4 * channels)) % (4 * channels) != 0)
            {
                throw Malformed(name, $"its IMA ADPCM block size {blockAlign} does not fit {channels} channel(s)");
            }

            return new WavLayout(WavSampleFormat.Pcm16, channels, sampleRate, 0, blockAlign, offset, length, SampleCoding.ImaAdpcm, factFrames);
        }

        if (formatTag == FormatMsAdpcm && bits == 4)
        {
            if (coefficients is not { Length: > 0 } || blockAlign < (7 * channels) + channels)
            {
                throw Malformed(name, coefficients is not { Length: > 0 } ? "its Microsoft ADPCM fmt chunk lists no predictor pairs" : $"its Microsoft ADPCM block size {blockAlign} does not fit {channels} channel(s)");
            }

            return new WavLayout(WavSampleFormat.Pcm16, channels, sampleRate, 0, blockAlign, offset, length, SampleCoding.MsAdpcm, factFrames, coefficients);
        }

        if (formatTag is FormatALaw or FormatMuLaw && bits == 8)
        {
            // Companded bytes expand to 13- or 14-bit linear values, which 16-bit PCM holds exactly.
            var coding = formatTag == FormatMuLaw ? SampleCoding.MuLaw : SampleCoding.ALaw;
            if (blockAlign != 0 && blockAlign != channels)
            {
                throw Malformed(name, $"its block alignment {blockAlign} does not match {channels} channel(s) of 8 bits");
            }

            return new WavLayout(WavSampleFormat.Pcm16, channels, sampleRate, 1, channels, offset, length, coding, null);
        }

        var format = (formatTag, bits) switch
        {
            (FormatPcm, 8) => WavSampleFormat.Pcm8,
            (FormatPcm, 16) => WavSampleFormat.Pcm16,
            (FormatPcm, 24) => WavSampleFormat.Pcm24,
            (FormatPcm, 32) => WavSampleFormat.Pcm32,
            (FormatFloat, 32) => WavSampleFormat.Float32,
            (FormatFloat, 64) => WavSampleFormat.Float64,
            _ => throw new SynthioException(
                DiagnosticCodes.UnreadableAudio,
                $"'{name}' uses an unsupported encoding (format tag {formatTag}, {bits} bits per sample)",
                name),
        };

        var bytesPerSample = bits / 8;
        var frameSize = bytesPerSample * channels;
        if (blockAlign != 0 && blockAlign != frameSize)
        {
            throw Malformed(name, $"its block alignment {blockAlign} does not match {channels} channel(s) of {bits} bits");
        }

        return new WavLayout(format, channels, sampleRate, bytesPerSample, frameSize, offset, length, SampleCoding.Linear, null);
    }

    private static void DecodeChannel(ReadOnlySpan<byte> pcm, WavLayout layout, int channel, Span<double> output)
    {
        var stride = layout.FrameSize;
        var offset = channel * layout.BytesPerSample;
        var frames = output.Length;
        if (layout.Coding != SampleCoding.Linear)
        {
            var table = layout.Coding == SampleCoding.MuLaw ? MuLawTable.Value : ALawTable.Value;
            for (var f = 0; f < frames; f++)
            {
                output[f] = table[pcm[offset + (f * stride)]] / 32768.0;
            }

            return;
        }

        switch (layout.Format)
        {
            case WavSampleFormat.Pcm8:
                for (var f = 0; f < frames; f++)
                {
                    output[f] = (pcm[offset + (f * stride)] - 128) / 128.0;
                }

                break;
            case WavSampleFormat.Pcm16:
                for (var f = 0; f < frames; f++)
                {
                    output[f] = BinaryPrimitives.ReadInt16LittleEndian(pcm.Slice(offset + (f * stride), 2)) / 32768.0;
                }

                break;
            case WavSampleFormat.Pcm24:
                for (var f = 0; f < frames; f++)
                {
                    var s = pcm.Slice(offset + (f * stride), 3);
                    output[f] = (s[0] | (s[1] << 8) | ((sbyte)s[2] << 16)) / 8388608.0;
                }

                break;
            case WavSampleFormat.Pcm32:
                for (var f = 0; f < frames; f++)
                {
                    output[f] = BinaryPrimitives.ReadInt32LittleEndian(pcm.Slice(offset + (f * stride), 4)) / 2147483648.0;
                }

                break;
            case WavSampleFormat.Float32:
                for (var f = 0; f < frames; f++)
                {
                    output[f] = BinaryPrimitives.ReadSingleLittleEndian(pcm.Slice(offset + (f * stride), 4));
                }

                break;
            default:
                for (var f = 0; f < frames; f++)
                {
                    output[f] = BinaryPrimitives.ReadDoubleLittleEndian(pcm.Slice(offset + (f * stride), 8));
                }

                break;
        }
    }

    /// <summary>The WAVE format tag and sample width of a sample format.</summary>
    private static (ushort Tag, int Bits) TagAndBits(WavSampleFormat format) => format switch
    {
        WavSampleFormat.Pcm8 => (FormatPcm, 8),
        WavSampleFormat.Pcm16 => (FormatPcm, 16),
        WavSampleFormat.Pcm24 => (FormatPcm, 24),
        WavSampleFormat.Pcm32 => (FormatPcm, 32),
        WavSampleFormat.Float32 => (FormatFloat, 32),
        _ => (FormatFloat, 64),
    };

    private static byte[] Encode(WavData wav)
    {
        var (tag, bits) = TagAndBits(wav.Format);
        var channels = wav.Channels.Length;
        var bytesPerSample = bits / 8;
        var frameSize = channels * bytesPerSample;
        var dataSize = checked(wav.FrameCount * frameSize);
        var bytes = new byte[checked(44 + dataSize + (dataSize & 1))];
        var header = bytes.AsSpan();
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], bytes.Length - 8);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], tag);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], checked((ushort)channels));
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], wav.SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], checked(wav.SampleRate * frameSize));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], checked((ushort)frameSize));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)bits);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], dataSize);
        var pcm = bytes.AsSpan(44, dataSize);
        for (var c = 0; c < channels; c++)
        {
            EncodeChannel(wav.Channels[c], wav.Format, pcm[(c * bytesPerSample)..], frameSize);
        }

        return bytes;
    }

    private static void EncodeChannel(ReadOnlySpan<double> samples, WavSampleFormat format, Span<byte> pcm, int stride)
    {
        for (var f = 0; f < samples.Length; f++)
        {
            var target = pcm[(f * stride)..];
            var v = samples[f];
            switch (format)
            {
                case WavSampleFormat.Pcm8:
                    target[0] = (byte)(QuantizeInt(v, 128) + 128);
                    break;
                case WavSampleFormat.Pcm16:
                    BinaryPrimitives.WriteInt16LittleEndian(target, (short)QuantizeInt(v, 32768));
                    break;
                case WavSampleFormat.Pcm24:
                    var i24 = QuantizeInt(v, 8388608);
                    target[0] = (byte)i24;
                    target[1] = (byte)(i24 >> 8);
                    target[2] = (byte)(i24 >> 16);
                    break;
                case WavSampleFormat.Pcm32:
                    BinaryPrimitives.WriteInt32LittleEndian(target, (int)QuantizeInt(v, 2147483648));
                    break;
                case WavSampleFormat.Float32:
                    BinaryPrimitives.WriteSingleLittleEndian(target, (float)v);
                    break;
                default:
                    BinaryPrimitives.WriteDoubleLittleEndian(target, v);
                    break;
            }
        }
    }

    // Rounds to the nearest integer level and clips to the format's range (NaN becomes silence).
    private static long QuantizeInt(double value, long scale)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        var scaled = Math.Round(value * scale, MidpointRounding.AwayFromZero);
        return (long)Math.Clamp(scaled, -scale, scale - 1);
    }

    private static string ChunkName(ReadOnlySpan<byte> id)
    {
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            chars[i] = id[i] is >= 32 and < 127 ? (char)id[i] : '?';
        }

        return new string(chars);
    }

    private static SynthioException Malformed(string name, string reason) =>
        new(DiagnosticCodes.UnreadableAudio, $"'{name}' is not a valid WAV file: {reason}", name);

    private readonly record struct WavLayout(
        WavSampleFormat Format, int Channels, int SampleRate, int BytesPerSample, int FrameSize, int DataOffset, int DataLength, SampleCoding Coding, int? Frames, (int, int)[]? Coefficients = null);

    private enum SampleCoding
    {
        Linear,
        MuLaw,
        ALaw,
        ImaAdpcm, // FrameSize is the block size
        MsAdpcm, // FrameSize is the block size
    }

    private static double[][] DecodeAdpcm(ReadOnlySpan<byte> data, WavLayout layout) =>
        (layout.Coding == SampleCoding.MsAdpcm
            ? MsAdpcmDecoder.Decode(data, layout.Channels, layout.FrameSize, layout.Coefficients!, layout.Frames)
            : ImaAdpcmDecoder.Decode(data, layout.Channels, layout.FrameSize, layout.Frames))
            .Select(channel => channel.Select(v => v / 32768.0).ToArray())
            .ToArray();

    // G.711's expansions to 16-bit linear values, one entry per byte.
    private static readonly Lazy<short[]> MuLawTable = new(() => ExpansionTable(code =>
    {
        var u = ~code & 0xFF;
        var magnitude = ((((u & 0x0F) << 3) + 0x84) << ((u >> 4) & 7)) - 0x84;
        return (u & 0x80) != 0 ? -magnitude : magnitude;
    }));

    private static readonly Lazy<short[]> ALawTable = new(() => ExpansionTable(code =>
    {
        var a = code ^ 0x55;
        var exponent = (a >> 4) & 7;
        var magnitude = exponent == 0 ? ((a & 0x0F) << 4) + 8 : (((a & 0x0F) << 4) + 0x108) << (exponent - 1);
        return (a & 0x80) != 0 ? magnitude : -magnitude;
    }));

    private static short[] ExpansionTable(Func<int, int> expand) =>
        Enumerable.Range(0, 256).Select(code => (short)expand(code)).ToArray();
}
