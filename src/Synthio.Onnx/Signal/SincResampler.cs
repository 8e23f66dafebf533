using Synthio.Audio;

namespace Synthio.Onnx.Signal;

/// <summary>
/// Band-limited resampling by a Kaiser-windowed sinc, polyphase for rational rate ratios. The models here are
/// trained at fixed rates (CLAP: 48 kHz), so clips at other rates are converted before the front end.
/// </summary>
internal static class SincResampler
{
    // 32 zero crossings each side and a 0.95 cut-off keep the pass band flat to ~0.9 Nyquist with > 80 dB rejection.
    private const int ZeroCrossings = 32;
    private const double Rolloff = 0.95;
    private const double KaiserBeta = 8.6;
    private const int MaxTablePhases = 4096;

    /// <summary>Resamples <paramref name="audio"/> to <paramref name="targetRate"/>; the same buffer back when rates match.</summary>
    public static AudioBuffer Resample(AudioBuffer audio, int targetRate)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (targetRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetRate), targetRate, "Sample rate must be positive.");
        }

        if (audio.SampleRate == targetRate)
        {
            return audio;
        }

        var divisor = Gcd(audio.SampleRate, targetRate);
        var up = targetRate / divisor; // L
        var down = audio.SampleRate / divisor; // M
        var cutoff = 0.5 * Math.Min(1.0, (double)targetRate / audio.SampleRate) * Rolloff; // cycles per input sample
        var halfWidth = (int)Math.Ceiling(ZeroCrossings / (2.0 * cutoff));
        var outputLength = (int)((long)audio.Length * up / down);
        var output = new float[outputLength];
        var input = audio.Samples;

        double[]? table = up <= MaxTablePhases ? BuildTable(up, halfWidth, cutoff) : null;
        var taps = 2 * halfWidth;
        for (var n = 0; n < outputLength; n++)
        {
            var position = (long)n * down;
            var index = (int)(position / up);
            var phase = (int)(position % up);
            double sum = 0;
            var first = index - halfWidth + 1;
            for (var m = 0; m < taps; m++)
            {
                var j = first + m;
                if ((uint)j >= (uint)input.Length)
                {
                    continue;
                }

                var weight = table is not null
                    ? table[phase * taps + m]
                    : Kernel((double)phase / up + (halfWidth - 1 - m), halfWidth, cutoff);
                sum += weight * input[j];
            }

            output[n] = (float)sum;
        }

        return new AudioBuffer(output, targetRate);
    }

    private static double[] BuildTable(int phases, int halfWidth, double cutoff)
    {
        var taps = 2 * halfWidth;
        var table = new double[phases * taps];
        for (var p = 0; p < phases; p++)
        {
            for (var m = 0; m < taps; m++)
            {
                // Output time t = index + p/L; tap m reads input index - halfWidth + 1 + m, at distance t - j.
                table[p * taps + m] = Kernel((double)p / phases + (halfWidth - 1 - m), halfWidth, cutoff);
            }
        }

        return table;
    }

    /// <summary>Low-pass impulse response at <paramref name="x"/> input samples from the centre.</summary>
    private static double Kernel(double x, int halfWidth, double cutoff)
    {
        var ratio = x / halfWidth;
        if (Math.Abs(ratio) >= 1)
        {
            return 0;
        }

        var argument = 2 * cutoff * x;
        var sinc = Math.Abs(argument) < 1e-12 ? 1.0 : Math.Sin(Math.PI * argument) / (Math.PI * argument);
        var window = BesselI0(KaiserBeta * Math.Sqrt(1 - ratio * ratio)) / BesselI0(KaiserBeta);
        return 2 * cutoff * sinc * window;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, half = x / 2;
        for (var k = 1; k < 50; k++)
        {
            term *= half / k;
            var squared = term * term;
            sum += squared;
            if (squared < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
