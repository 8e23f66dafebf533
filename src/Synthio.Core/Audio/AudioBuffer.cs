namespace Synthio.Audio;

/// <summary>Mono audio as 32-bit float samples in [-1, 1] at a known sample rate: what every stage works on.</summary>
public sealed class AudioBuffer
{
    /// <summary>Wraps <paramref name="samples"/> (not copied) recorded at <paramref name="sampleRate"/> Hz.</summary>
    public AudioBuffer(float[] samples, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (sampleRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be positive.");
        }

        Samples = samples;
        SampleRate = sampleRate;
    }

    /// <summary>The samples. Transforms never modify an input buffer's samples; they return new buffers.</summary>
    public float[] Samples { get; }

    /// <summary>Samples per second.</summary>
    public int SampleRate { get; }

    /// <summary>Number of samples.</summary>
    public int Length => Samples.Length;

    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => (double)Samples.Length / SampleRate;
}
