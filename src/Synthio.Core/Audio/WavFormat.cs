namespace Synthio.Audio;

/// <summary>Sample encodings a WAV file can carry that we read and write.</summary>
public enum WavSampleFormat
{
    Pcm8,
    Pcm16,
    Pcm24,
    Pcm32,
    Float32,
    Float64,
}

/// <summary>
/// A decoded WAV file with its channels kept apart. Samples are doubles so that every supported
/// encoding (including 32-bit integer and 64-bit float) survives a read/write round trip bit-exactly.
/// </summary>
public sealed class WavData
{
    /// <summary>Wraps per-channel samples (not copied); all channels must have the same length.</summary>
    public WavData(double[][] channels, int sampleRate, WavSampleFormat format)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Length == 0)
        {
            throw new ArgumentException("At least one channel is required.", nameof(channels));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (channels.Any(c => c.Length != channels[0].Length))
        {
            throw new ArgumentException("All channels must have the same length.", nameof(channels));
        }

        Channels = channels;
        SampleRate = sampleRate;
        Format = format;
    }

    /// <summary>Per-channel samples; integer formats are scaled to [-1, 1).</summary>
    public double[][] Channels { get; }

    /// <summary>Samples per second per channel.</summary>
    public int SampleRate { get; }

    /// <summary>The encoding read from, or to be written to, the file.</summary>
    public WavSampleFormat Format { get; }

    /// <summary>Samples per channel.</summary>
    public int FrameCount => Channels[0].Length;

    /// <summary>Averages the channels: the engine works on mono.</summary>
    public AudioBuffer ToMono()
    {
        var mono = new float[FrameCount];
        var scale = 1.0 / Channels.Length;
        for (var i = 0; i < mono.Length; i++)
        {
            double sum = 0;
            foreach (var channel in Channels)
            {
                sum += channel[i];
            }

            mono[i] = (float)(sum * scale);
        }

        return new AudioBuffer(mono, SampleRate);
    }
}
