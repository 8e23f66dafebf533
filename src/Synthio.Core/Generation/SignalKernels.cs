namespace Synthio.Generation;

/// <summary>
/// The few DSP kernels the embedded generator needs on its hot path, written to run far faster than
/// real time on one core: linear-interpolation varispeed, RBJ biquads, coloured noise, a Schroeder
/// reverberator, crossfaded splicing and level measurement.
/// </summary>
internal static class SignalKernels
{
    /// <summary>
    /// Plays <paramref name="source"/> <paramref name="ratio"/> times faster (ratio &gt; 1 raises pitch and
    /// shortens, like a tape). Also resamples when ratio = sourceRate / targetRate.
    /// </summary>
    public static float[] Varispeed(ReadOnlySpan<float> source, double ratio)
    {
        if (source.Length == 0)
        {
            return Array.Empty<float>();
        }

        var length = Math.Max(1, (int)Math.Floor((source.Length - 1) / ratio) + 1);
        var output = new float[length];
        var last = source.Length - 1;
        for (var i = 0; i < length; i++)
        {
            var position = i * ratio;
            var index = (int)position;
            if (index >= last)
            {
                output[i] = source[last];
                continue;
            }

            var fraction = (float)(position - index);
            output[i] = source[index] + ((source[index + 1] - source[index]) * fraction);
        }

        return output;
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        if (samples.Length == 0)
        {
            return 0;
        }

        double sum = 0;
        foreach (var s in samples)
        {
            sum += s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    public static float Peak(ReadOnlySpan<float> samples)
    {
        var peak = 0f;
        foreach (var s in samples)
        {
            var a = Math.Abs(s);
            if (a > peak)
            {
                peak = a;
            }
        }

        return peak;
    }

    public static void Scale(Span<float> samples, float gain)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] *= gain;
        }
    }

    /// <summary>Adds <paramref name="source"/> × gain into <paramref name="target"/> from offset on, clipped to the target's end.</summary>
    public static void MixInto(Span<float> target, ReadOnlySpan<float> source, int offset, float gain)
    {
        var start = Math.Max(0, offset);
        var end = Math.Min(target.Length, offset + source.Length);
        for (var i = start; i < end; i++)
        {
            target[i] += source[i - offset] * gain;
        }
    }

    /// <summary>Raised-cosine fade in and out of the given lengths, in place (avoids clicks at splice points).</summary>
    public static void Fade(Span<float> samples, int fadeIn, int fadeOut)
    {
        fadeIn = Math.Min(fadeIn, samples.Length / 2);
        fadeOut = Math.Min(fadeOut, samples.Length / 2);
        for (var i = 0; i < fadeIn; i++)
        {
            samples[i] *= (float)(0.5 - (0.5 * Math.Cos(Math.PI * i / fadeIn)));
        }

        for (var i = 0; i < fadeOut; i++)
        {
            samples[samples.Length - 1 - i] *= (float)(0.5 - (0.5 * Math.Cos(Math.PI * i / fadeOut)));
        }
    }

    /// <summary>Low-pass biquad (RBJ cookbook), in place.</summary>
    public static void LowPass(Span<float> samples, int sampleRate, double cutoffHz, double q = 0.7071)
    {
        var biquad = Biquad.LowPass(sampleRate, cutoffHz, q);
        biquad.Process(samples);
    }

    public static void HighPass(Span<float> samples, int sampleRate, double cutoffHz, double q = 0.7071)
    {
        var biquad = Biquad.HighPass(sampleRate, cutoffHz, q);
        biquad.Process(samples);
    }

    /// <summary>Peaking equaliser (RBJ): boosts or cuts <paramref name="gainDb"/> around <paramref name="centreHz"/>, in place.</summary>
    public static void Peak(Span<float> samples, int sampleRate, double centreHz, double gainDb, double q)
    {
        var biquad = Biquad.Peaking(sampleRate, centreHz, gainDb, q);
        biquad.Process(samples);
    }

    /// <summary>Band-pass as a high-pass then a low-pass (two second-order sections).</summary>
    public static void BandPass(Span<float> samples, int sampleRate, double lowHz, double highHz)
    {
        HighPass(samples, sampleRate, lowHz);
        LowPass(samples, sampleRate, highHz);
    }

    /// <summary>Fills with white, pink (Kellet's filter) or brown (leaky integrated) noise of unit-ish RMS.</summary>
    public static void FillNoise(Span<float> target, NoiseColour colour, ref SplitMixRandom random)
    {
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, brown = 0;
        for (var i = 0; i < target.Length; i++)
        {
            double white = random.NextSigned();
            switch (colour)
            {
                case NoiseColour.White:
                    target[i] = (float)white;
                    break;
                case NoiseColour.Pink:
                    b0 = (0.99886 * b0) + (white * 0.0555179);
                    b1 = (0.99332 * b1) + (white * 0.0750759);
                    b2 = (0.96900 * b2) + (white * 0.1538520);
                    b3 = (0.86650 * b3) + (white * 0.3104856);
                    b4 = (0.55000 * b4) + (white * 0.5329522);
                    b5 = (-0.7616 * b5) - (white * 0.0168980);
                    target[i] = (float)((b0 + b1 + b2 + b3 + b4 + b5 + b6 + (white * 0.5362)) * 0.11);
                    b6 = white * 0.115926;
                    break;
                default:
                    brown = (0.995 * brown) + (white * 0.05);
                    target[i] = (float)(brown * 3.0);
                    break;
            }
        }

        var rms = Rms(target);
        if (rms > 0)
        {
            Scale(target, (float)(0.3 / rms));
        }
    }

    /// <summary>
    /// Schroeder reverberator (four damped feedback combs in parallel, two all-passes in series) mixed
    /// with the dry signal. <paramref name="decaySeconds"/> is the RT60; <paramref name="wet"/> in [0, 1].
    /// </summary>
    public static void Reverb(Span<float> samples, int sampleRate, double decaySeconds, double wet, double size)
    {
        if (wet <= 0 || samples.Length == 0)
        {
            return;
        }

        ReadOnlySpan<double> combMs = [29.7, 37.1, 41.1, 43.7];
        ReadOnlySpan<double> allPassMs = [5.0, 1.7];
        var wetBuffer = new float[samples.Length];
        for (var c = 0; c < combMs.Length; c++)
        {
            var delay = Math.Max(1, (int)(combMs[c] * size * sampleRate / 1000.0));
            var feedback = (float)Math.Pow(10, -3.0 * delay / (decaySeconds * sampleRate));
            var line = new float[delay];
            var index = 0;
            float damped = 0;
            for (var i = 0; i < samples.Length; i++)
            {
                var delayed = line[index];
                damped = (delayed * 0.7f) + (damped * 0.3f);

                // Decaying tails would otherwise reach denormal floats, which are very slow.
                if (Math.Abs(damped) < 1e-20f)
                {
                    damped = 0;
                }

                line[index] = samples[i] + (damped * feedback);
                wetBuffer[i] += delayed * 0.25f;
                if (++index == delay)
                {
                    index = 0;
                }
            }
        }

        foreach (var ms in allPassMs)
        {
            var delay = Math.Max(1, (int)(ms * sampleRate / 1000.0));
            var line = new float[delay];
            var index = 0;
            const float g = 0.5f;
            for (var i = 0; i < wetBuffer.Length; i++)
            {
                var delayed = line[index];
                var input = wetBuffer[i];
                var output = delayed - (g * input);
                line[index] = input + (g * output);
                wetBuffer[i] = output;
                if (++index == delay)
                {
                    index = 0;
                }
            }
        }

        var dryGain = (float)(1 - (wet * 0.5));
        var wetGain = (float)(wet * 1.5);
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (samples[i] * dryGain) + (wetBuffer[i] * wetGain);
        }
    }

    /// <summary>Slow amplitude modulation (wind gusts, waves, crowd murmur): gain = 1 − depth·(0.5 + 0.5·sin).</summary>
    public static void Modulate(Span<float> samples, int sampleRate, double rateHz, double depth, double phase)
    {
        var step = 2 * Math.PI * rateHz / sampleRate;
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] *= (float)(1 - (depth * (0.5 + (0.5 * Math.Sin(phase + (i * step))))));
        }
    }

    /// <summary>One RBJ-cookbook second-order section in transposed direct form II.</summary>
    private struct Biquad
    {
        private readonly double _b0, _b1, _b2, _a1, _a2;
        private double _z1, _z2;

        private Biquad(double b0, double b1, double b2, double a0, double a1, double a2)
        {
            _b0 = b0 / a0;
            _b1 = b1 / a0;
            _b2 = b2 / a0;
            _a1 = a1 / a0;
            _a2 = a2 / a0;
            _z1 = _z2 = 0;
        }

        public static Biquad LowPass(int sampleRate, double cutoff, double q)
        {
            var (cos, alpha) = Prepare(sampleRate, cutoff, q);
            return new Biquad((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
        }

        public static Biquad HighPass(int sampleRate, double cutoff, double q)
        {
            var (cos, alpha) = Prepare(sampleRate, cutoff, q);
            return new Biquad((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
        }

        public static Biquad Peaking(int sampleRate, double centre, double gainDb, double q)
        {
            var (cos, alpha) = Prepare(sampleRate, centre, q);
            var a = Math.Pow(10, gainDb / 40);
            return new Biquad(1 + (alpha * a), -2 * cos, 1 - (alpha * a), 1 + (alpha / a), -2 * cos, 1 - (alpha / a));
        }

        public void Process(Span<float> samples)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                double x = samples[i];
                var y = (_b0 * x) + _z1;
                _z1 = (_b1 * x) - (_a1 * y) + _z2;
                _z2 = (_b2 * x) - (_a2 * y);
                samples[i] = (float)y;
            }
        }

        private static (double Cos, double Alpha) Prepare(int sampleRate, double cutoff, double q)
        {
            var nyquistSafe = Math.Clamp(cutoff, 10.0, (sampleRate / 2.0) * 0.95);
            var w = 2 * Math.PI * nyquistSafe / sampleRate;
            return (Math.Cos(w), Math.Sin(w) / (2 * q));
        }
    }
}

/// <summary>Spectral colour of synthetic background noise.</summary>
internal enum NoiseColour
{
    White,
    Pink,
    Brown,
}
