using Synthio.Audio;

namespace Synthio.Core.Tests;

/// <summary>Known test signals and precise measurements on them.</summary>
internal static class AudioTestSignals
{
    public static AudioBuffer Sine(double hz, int sampleRate, double seconds, double amplitude = 0.5, double phase = 0)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin((2 * Math.PI * hz * i / sampleRate) + phase));
        }

        return new AudioBuffer(samples, sampleRate);
    }

    /// <summary>A steady harmonic tone (fundamental plus decaying harmonics), like a sung vowel.</summary>
    public static AudioBuffer Harmonic(double f0, int sampleRate, double seconds, int harmonics = 6)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        for (var h = 1; h <= harmonics && h * f0 < sampleRate / 2.0; h++)
        {
            var amplitude = 0.3 / h;
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] += (float)(amplitude * Math.Sin((2 * Math.PI * h * f0 * i / sampleRate) + h));
            }
        }

        return new AudioBuffer(samples, sampleRate);
    }

    public static AudioBuffer WhiteNoise(int sampleRate, double seconds, int seed, double amplitude = 0.1)
    {
        var rng = new Random(seed);
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * ((rng.NextDouble() * 2) - 1));
        }

        return new AudioBuffer(samples, sampleRate);
    }

    /// <summary>Frequency of the strongest spectral peak (Hann window, 4× zero padding, parabolic refinement).</summary>
    public static double DominantFrequency(AudioBuffer audio)
    {
        var n = audio.Length;
        var size = FftPlan.NextPowerOfTwo(4 * n);
        var re = new float[size];
        var im = new float[size];
        for (var i = 0; i < n; i++)
        {
            re[i] = audio.Samples[i] * (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / n)));
        }

        FftPlan.Get(size).Forward(re, im);
        var magnitude = new double[(size / 2) + 1];
        for (var k = 0; k < magnitude.Length; k++)
        {
            magnitude[k] = Math.Log(1e-20 + Math.Sqrt((re[k] * re[k]) + (im[k] * im[k])));
        }

        var peak = 1;
        for (var k = 1; k < magnitude.Length - 1; k++)
        {
            if (magnitude[k] > magnitude[peak])
            {
                peak = k;
            }
        }

        var curvature = magnitude[peak - 1] - (2 * magnitude[peak]) + magnitude[peak + 1];
        var offset = curvature < 0 ? 0.5 * (magnitude[peak - 1] - magnitude[peak + 1]) / curvature : 0;
        return (peak + offset) * audio.SampleRate / size;
    }

    /// <summary>Amplitude of the component at <paramref name="hz"/> (single-bin DFT with a Hann window), for a steady tone.</summary>
    public static double ToneAmplitude(ReadOnlySpan<float> samples, int sampleRate, double hz)
    {
        double sumRe = 0, sumIm = 0, windowSum = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            var w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / samples.Length));
            var angle = 2 * Math.PI * hz * i / sampleRate;
            sumRe += w * samples[i] * Math.Cos(angle);
            sumIm -= w * samples[i] * Math.Sin(angle);
            windowSum += w;
        }

        return 2 * Math.Sqrt((sumRe * sumRe) + (sumIm * sumIm)) / windowSum;
    }

    public static double Rms(ReadOnlySpan<float> samples) => AudioOps.Rms(samples);

    /// <summary>The middle part of a buffer, away from filter edge effects.</summary>
    public static ReadOnlySpan<float> Middle(AudioBuffer audio, double trimFraction = 0.1)
    {
        var trim = (int)(audio.Length * trimFraction);
        return audio.Samples.AsSpan(trim, audio.Length - (2 * trim));
    }
}
