namespace Synthio.Generation;

/// <summary>
/// Synthetic backgrounds for the scenes a caption names, from shaped noise: enough to give a clip the
/// broad spectral and temporal signature of rain, wind, traffic, a crowd, water, hum, birds or room tone.
/// </summary>
internal static class BackgroundSynthesis
{
    public static float[] Render(BackgroundKind kind, int length, int rate, ref SplitMixRandom random)
    {
        var output = new float[length];
        switch (kind)
        {
            case BackgroundKind.Rain:
                SignalKernels.FillNoise(output, NoiseColour.White, ref random);
                SignalKernels.BandPass(output, rate, random.Range(600, 1200), random.Range(5000, 7500));
                AddClicks(output, rate, random.Range(20, 60), 0.003, ref random);
                break;
            case BackgroundKind.Wind:
                SignalKernels.FillNoise(output, NoiseColour.Brown, ref random);
                SignalKernels.LowPass(output, rate, random.Range(300, 900));
                SignalKernels.Modulate(output, rate, random.Range(0.1, 0.5), random.Range(0.4, 0.8), random.Range(0, 6.28));
                break;
            case BackgroundKind.Traffic:
                SignalKernels.FillNoise(output, NoiseColour.Brown, ref random);
                SignalKernels.LowPass(output, rate, random.Range(250, 600));
                SignalKernels.Modulate(output, rate, random.Range(0.05, 0.2), random.Range(0.3, 0.7), random.Range(0, 6.28));
                break;
            case BackgroundKind.Crowd:
                SignalKernels.FillNoise(output, NoiseColour.Pink, ref random);
                SignalKernels.BandPass(output, rate, 250, 3000);
                SignalKernels.Modulate(output, rate, random.Range(3, 5), random.Range(0.3, 0.5), random.Range(0, 6.28));
                SignalKernels.Modulate(output, rate, random.Range(0.3, 0.8), 0.3, random.Range(0, 6.28));
                break;
            case BackgroundKind.Water:
                SignalKernels.FillNoise(output, NoiseColour.Pink, ref random);
                SignalKernels.BandPass(output, rate, random.Range(150, 400), random.Range(3000, 6000));
                SignalKernels.Modulate(output, rate, random.Range(0.08, 0.3), random.Range(0.5, 0.8), random.Range(0, 6.28));
                break;
            case BackgroundKind.Hum:
                var mains = random.Chance(0.5) ? 50.0 : 60.0;
                for (var i = 0; i < length; i++)
                {
                    var t = (double)i / rate;
                    output[i] = (float)((0.3 * Math.Sin(2 * Math.PI * mains * t)) + (0.15 * Math.Sin(4 * Math.PI * mains * t)) + (0.08 * Math.Sin(6 * Math.PI * mains * t)));
                }

                var hiss = new float[length];
                SignalKernels.FillNoise(hiss, NoiseColour.Pink, ref random);
                SignalKernels.MixInto(output, hiss, 0, 0.05f);
                break;
            case BackgroundKind.Birds:
                SignalKernels.FillNoise(output, NoiseColour.Pink, ref random);
                SignalKernels.HighPass(output, rate, 1500);
                SignalKernels.Scale(output, 0.2f);
                AddChirps(output, rate, random.NextInclusive(3, 10), ref random);
                break;
            default:
                SignalKernels.FillNoise(output, NoiseColour.Pink, ref random);
                SignalKernels.LowPass(output, rate, random.Range(1500, 3000));
                break;
        }

        return output;
    }

    /// <summary>Short noise bursts (raindrops) at the given rate per second.</summary>
    private static void AddClicks(float[] output, int rate, double perSecond, double seconds, ref SplitMixRandom random)
    {
        var count = (int)(perSecond * output.Length / rate);
        var width = Math.Max(2, (int)(seconds * rate));
        for (var c = 0; c < count; c++)
        {
            var start = random.Next(Math.Max(1, output.Length - width));
            var amplitude = (float)random.Range(0.2, 0.8);
            for (var i = 0; i < width; i++)
            {
                output[start + i] += random.NextSigned() * amplitude * (1 - ((float)i / width));
            }
        }
    }

    /// <summary>Frequency-swept tones with a smooth envelope, 2–6 kHz, 50–200 ms.</summary>
    private static void AddChirps(float[] output, int rate, int count, ref SplitMixRandom random)
    {
        var top = Math.Min(6000, rate * 0.45);
        for (var c = 0; c < count; c++)
        {
            var length = (int)(random.Range(0.05, 0.2) * rate);
            var start = random.Next(Math.Max(1, output.Length - length));
            var f0 = random.Range(2000, top);
            var f1 = random.Range(2000, top);
            double phase = 0;
            for (var i = 0; i < length && start + i < output.Length; i++)
            {
                var f = f0 + ((f1 - f0) * i / length);
                phase += 2 * Math.PI * f / rate;
                var envelope = Math.Sin(Math.PI * i / length);
                output[start + i] += (float)(0.4 * envelope * Math.Sin(phase));
            }
        }
    }
}
