namespace Synthio.Audio;

/// <summary>Mono audio as 32-bit float samples in [-1, 1] at a known sample rate: what every stage works on.</summary>
public sealed class AudioBuffer
{
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

    public float[] Samples { get; }

    public int SampleRate { get; }

    public int Length => Samples.Length;

    public double DurationSeconds => (double)Samples.Length / SampleRate;
}
