using System.Buffers.Binary;
using Synthio.Diagnostics;

namespace Synthio.Audio;

/// <summary>
/// Turns Opus packets into mono samples at 48 kHz, for either container that carries them (Ogg, and
/// Matroska/WebM). Both hold the same identification header (RFC 7845 §5.1, "OpusHead"): its channel count,
/// pre-skip and output gain apply alike, and each container only says differently where the audio ends.
/// </summary>
internal sealed class OpusPacketDecoder
{
    public const int Rate = 48000;
    private const int MaxFrame = 5760; // 120 ms at 48 kHz, the longest an Opus packet decodes to

    private readonly string _name;
    private readonly Func<string, string, SynthioException> _malformed;
    private readonly int _channels;
    private readonly float[] _frame;
#pragma warning disable CS0618
    // The managed decoder, not whichever native libopus a machine has, so that a clip decodes alike everywhere.
    private readonly Concentus.Structs.OpusDecoder _decoder;
#pragma warning restore CS0618

    /// <param name="head">The OpusHead header.</param>
    /// <param name="name">The file, for messages.</param>
    /// <param name="malformed">Makes the container's own error for a file that is not what it claims.</param>
    public OpusPacketDecoder(byte[] head, string name, Func<string, string, SynthioException> malformed)
    {
        _name = name;
        _malformed = malformed;
        if (head.Length < 19 || !head.AsSpan(0, 8).SequenceEqual("OpusHead"u8))
        {
            throw malformed(name, "its Opus header is missing (no OpusHead)");
        }

        if (head[8] >> 4 != 0)
        {
            throw malformed(name, $"its header version {head[8]} is not one we read");
        }

        _channels = head[9];
        PreSkip = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10));
        Gain = (float)Math.Pow(10, BinaryPrimitives.ReadInt16LittleEndian(head.AsSpan(16)) / 256.0 / 20);
        var family = head[18];
        if (family != 0 || _channels is < 1 or > 2)
        {
            throw new SynthioException(
                DiagnosticCodes.NotAudioFile,
                $"'{name}' is a {_channels}-channel Opus stream (channel mapping family {family}); only mono and stereo Opus is read: convert it to {AudioFile.FormatList}",
                name);
        }

#pragma warning disable CS0618
        _decoder = new Concentus.Structs.OpusDecoder(Rate, _channels);
#pragma warning restore CS0618
        _frame = new float[MaxFrame * _channels];
    }

    /// <summary>Samples the decoder produces at the start that are not part of the audio.</summary>
    public int PreSkip { get; }

    /// <summary>The header's output gain, as a factor.</summary>
    public float Gain { get; }

    /// <summary>Decodes one packet and appends its samples, channels averaged, to <paramref name="mono"/>; returns how many.</summary>
    public int Decode(byte[] packet, List<float> mono)
    {
        int decoded;
        try
        {
            decoded = _decoder.Decode(packet, _frame, MaxFrame, false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw _malformed(_name, $"a packet does not decode ({ex.Message})");
        }

        for (var i = 0; i < decoded; i++)
        {
            mono.Add(_channels == 1 ? _frame[i] : 0.5f * (_frame[2 * i] + _frame[(2 * i) + 1]));
        }

        return decoded;
    }

    /// <summary>The audio meant to be heard: <paramref name="mono"/> from the pre-skip to <paramref name="end"/> (exclusive), with the gain applied.</summary>
    public AudioBuffer Finish(List<float> mono, long end)
    {
        var length = (int)Math.Max(0, Math.Min(mono.Count, end) - PreSkip);
        var samples = new float[length];
        for (var i = 0; i < length; i++)
        {
            samples[i] = Math.Clamp(mono[PreSkip + i] * Gain, -1f, 1f);
        }

        return new AudioBuffer(samples, Rate);
    }
}
