using System.Buffers.Binary;
using System.Text;
using Synthio.Diagnostics;

namespace Synthio.Audio;

/// <summary>
/// Reads and writes RIFF/WAVE files: PCM 8/16/24/32-bit, IEEE float 32/64-bit, WAVE_FORMAT_EXTENSIBLE,
/// any channel count and sample rate. Unknown chunks (LIST, fact, …) and their pad bytes are skipped.
/// Malformed input raises <see cref="SynthioException"/> naming the file and the reason.
/// </summary>
public static class WavFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    public static AudioBuffer ReadMono(string path) => Read(path).ToMono();

    public static WavData Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SynthioException(DiagnosticCodes.UnreadableAudio, $"cannot read '{path}': {ex.Message}", path, ex);
        }

        return Parse(bytes, path);
    }

    public static WavData Parse(ReadOnlySpan<byte> data, string nameForErrors)
    {
        if (data.Length < 12 || !data[..4].SequenceEqual("RIFF"u8) || !data.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new SynthioException(DiagnosticCodes.NotAudioFile, $"'{nameForErrors}' is not a RIFF/WAVE file", nameForErrors);
        }

        ushort formatTag = 0;
        int channels = 0, sampleRate = 0, bitsPerSample = 0, blockAlign = 0;
        var haveFormat = false;
        var position = 12;
        while (position + 8 <= data.Length)
        {
            var id = data.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(position + 4, 4));
            var body = position + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > data.Length)
                {
                    throw Malformed(nameForErrors, "its fmt chunk is too short");
                }

                var fmt = data.Slice(body, (int)Math.Min(size, (uint)(data.Length - body)));
                formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
                bitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
                if (formatTag == FormatExtensible)
                {
                    if (fmt.Length < 40)
                    {
                        throw Malformed(nameForErrors, "its WAVE_FORMAT_EXTENSIBLE fmt chunk is too short");
                    }

                    // The sub-format GUID starts with the plain format tag.
                    formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
                }

                haveFormat = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                {
                    throw Malformed(nameForErrors, "its data chunk comes before any fmt chunk");
                }

                var available = data.Length - body;
                if (size > (uint)available)
                {
                    throw Malformed(nameForErrors, $"it is truncated: the data chunk declares {size} bytes but only {available} are present");
                }

                return Decode(data.Slice(body, (int)size), formatTag, channels, sampleRate, bitsPerSample, blockAlign, nameForErrors);
            }

            // Chunks are word-aligned: an odd size is followed by one pad byte.
            position = checked(body + (int)Math.Min(size, int.MaxValue - 16) + (int)(size & 1));
        }

        throw Malformed(nameForErrors, haveFormat ? "it has no data chunk" : "it has no fmt chunk");
    }

    private static WavData Decode(ReadOnlySpan<byte> pcm, ushort formatTag, int channelCount, int sampleRate, int bits, int blockAlign, string name)
    {
        if (channelCount <= 0)
        {
            throw Malformed(name, "it declares zero channels");
        }

        if (sampleRate <= 0)
        {
            throw Malformed(name, $"it declares an invalid sample rate ({sampleRate})");
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
        var frameSize = bytesPerSample * channelCount;
        if (blockAlign != 0 && blockAlign != frameSize)
        {
            throw Malformed(name, $"its block alignment {blockAlign} does not match {channelCount} channel(s) of {bits} bits");
        }

        var frames = pcm.Length / frameSize;
        var channels = new double[channelCount][];
        for (var c = 0; c < channelCount; c++)
        {
            channels[c] = new double[frames];
        }

        for (var f = 0; f < frames; f++)
        {
            var frame = pcm.Slice(f * frameSize, frameSize);
            for (var c = 0; c < channelCount; c++)
            {
                var s = frame.Slice(c * bytesPerSample, bytesPerSample);
                channels[c][f] = format switch
                {
                    WavSampleFormat.Pcm8 => (s[0] - 128) / 128.0,
                    WavSampleFormat.Pcm16 => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768.0,
                    WavSampleFormat.Pcm24 => ((s[0] | (s[1] << 8) | ((sbyte)s[2] << 16))) / 8388608.0,
                    WavSampleFormat.Pcm32 => BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648.0,
                    WavSampleFormat.Float32 => BinaryPrimitives.ReadSingleLittleEndian(s),
                    _ => BinaryPrimitives.ReadDoubleLittleEndian(s),
                };
            }
        }

        return new WavData(channels, sampleRate, format);
    }

    public static void WriteMono(string path, AudioBuffer audio, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        var channel = new double[audio.Length];
        for (var i = 0; i < channel.Length; i++)
        {
            channel[i] = audio.Samples[i];
        }

        Write(path, new WavData(new[] { channel }, audio.SampleRate, format));
    }

    public static void Write(string path, WavData wav)
    {
        using var stream = File.Create(path);
        Write(stream, wav);
    }

    public static byte[] ToBytes(AudioBuffer audio, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        var channel = new double[audio.Length];
        for (var i = 0; i < channel.Length; i++)
        {
            channel[i] = audio.Samples[i];
        }

        using var stream = new MemoryStream();
        Write(stream, new WavData(new[] { channel }, audio.SampleRate, format));
        return stream.ToArray();
    }

    public static void Write(Stream stream, WavData wav)
    {
        var (tag, bits) = wav.Format switch
        {
            WavSampleFormat.Pcm8 => (FormatPcm, 8),
            WavSampleFormat.Pcm16 => (FormatPcm, 16),
            WavSampleFormat.Pcm24 => (FormatPcm, 24),
            WavSampleFormat.Pcm32 => (FormatPcm, 32),
            WavSampleFormat.Float32 => (FormatFloat, 32),
            _ => (FormatFloat, 64),
        };
        var channels = wav.Channels.Length;
        var bytesPerSample = bits / 8;
        var dataSize = checked(wav.FrameCount * channels * bytesPerSample);
        using var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
        writer.Write("RIFF"u8);
        writer.Write(checked(36 + dataSize + (dataSize & 1)));
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(16);
        writer.Write(tag);
        writer.Write((ushort)channels);
        writer.Write(wav.SampleRate);
        writer.Write(wav.SampleRate * channels * bytesPerSample);
        writer.Write((ushort)(channels * bytesPerSample));
        writer.Write((ushort)bits);
        writer.Write("data"u8);
        writer.Write(dataSize);
        Span<byte> buffer = stackalloc byte[8];
        for (var f = 0; f < wav.FrameCount; f++)
        {
            for (var c = 0; c < channels; c++)
            {
                var v = wav.Channels[c][f];
                switch (wav.Format)
                {
                    case WavSampleFormat.Pcm8:
                        writer.Write((byte)(QuantizeInt(v, 128) + 128));
                        break;
                    case WavSampleFormat.Pcm16:
                        writer.Write((short)QuantizeInt(v, 32768));
                        break;
                    case WavSampleFormat.Pcm24:
                        var i24 = QuantizeInt(v, 8388608);
                        writer.Write((byte)i24);
                        writer.Write((byte)(i24 >> 8));
                        writer.Write((byte)(i24 >> 16));
                        break;
                    case WavSampleFormat.Pcm32:
                        writer.Write((int)QuantizeInt(v, 2147483648));
                        break;
                    case WavSampleFormat.Float32:
                        writer.Write((float)v);
                        break;
                    default:
                        writer.Write(v);
                        break;
                }
            }
        }

        if ((dataSize & 1) == 1)
        {
            writer.Write((byte)0);
        }
    }

    // Rounds to the nearest integer level and clips to the format's range.
    private static long QuantizeInt(double value, long scale)
    {
        var scaled = Math.Round(value * scale, MidpointRounding.AwayFromZero);
        return (long)Math.Clamp(scaled, -scale, scale - 1);
    }

    private static SynthioException Malformed(string name, string reason) =>
        new(DiagnosticCodes.UnreadableAudio, $"'{name}' is not a valid WAV file: {reason}", name);
}
