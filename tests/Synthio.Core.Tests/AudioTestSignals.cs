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

    /// <summary>
    /// A steady vowel: a <paramref name="f0"/> pulse train through two-pole resonators at
    /// <paramref name="formantsHz"/> (bandwidth 10 % of each, at least 60 Hz), peak-normalised to 0.5.
    /// </summary>
    public static AudioBuffer Vowel(double f0, int sampleRate, double seconds, params double[] formantsHz)
    {
        var samples = new double[(int)Math.Round(seconds * sampleRate)];
        var phase = 0.0;
        for (var i = 0; i < samples.Length; i++)
        {
            phase += f0 / sampleRate;
            if (phase >= 1)
            {
                phase -= 1;
                samples[i] = 1;
            }
        }

        foreach (var formant in formantsHz)
        {
            var radius = Math.Exp(-Math.PI * Math.Max(60, 0.1 * formant) / sampleRate);
            var a1 = 2 * radius * Math.Cos(2 * Math.PI * formant / sampleRate);
            var a2 = -radius * radius;
            double y1 = 0, y2 = 0;
            for (var i = 0; i < samples.Length; i++)
            {
                var y = samples[i] + (a1 * y1) + (a2 * y2);
                (y2, y1) = (y1, y);
                samples[i] = y;
            }
        }

        var peak = samples.Max(Math.Abs);
        return new AudioBuffer(samples.Select(v => (float)(0.5 * v / peak)).ToArray(), sampleRate);
    }

    /// <summary>
    /// The share of the clip's energy (dB) in each <paramref name="bandHz"/>-wide band below
    /// <paramref name="topHz"/>, from Hann-windowed 1024-point frames away from the clip's edges.
    /// </summary>
    public static double[] BandEnergiesDb(AudioBuffer audio, double bandHz = 500, double topHz = 4000)
    {
        const int size = 1024;
        var plan = FftPlan.Get(size);
        var bands = new double[(int)(topHz / bandHz)];
        var re = new float[size];
        var im = new float[size];
        for (var start = 2 * size; start + (3 * size) <= audio.Length; start += size / 2)
        {
            for (var i = 0; i < size; i++)
            {
                re[i] = audio.Samples[start + i] * (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / size)));
                im[i] = 0;
            }

            plan.Forward(re, im);
            for (var k = 0; k < size / 2; k++)
            {
                var band = (int)(k * (double)audio.SampleRate / size / bandHz);
                if (band < bands.Length)
                {
                    bands[band] += (re[k] * re[k]) + (im[k] * im[k]);
                }
            }
        }

        var total = bands.Sum();
        return bands.Select(b => 10 * Math.Log10(Math.Max(b, 1e-30) / total)).ToArray();
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
