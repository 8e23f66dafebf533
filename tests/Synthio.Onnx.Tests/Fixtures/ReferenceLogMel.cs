namespace Synthio.Onnx.Tests.Fixtures;

/// <summary>
/// CLAP's log-mel written straight from the published definitions, slowly and independently of the product:
/// Slaney mel scale (linear 3 mel per 200 Hz below 1 kHz, log step ln(6.4)/27 above), triangular filters with
/// Slaney area normalisation 2/(f[m+2]-f[m]), periodic Hann window, centred frames with reflect padding,
/// power spectrum by a direct DFT, 10·log10(max(·, 1e-10)).
/// </summary>
internal static class ReferenceLogMel
{
    public static double Mel(double hz) => hz < 1000 ? hz / (200.0 / 3) : 15 + Math.Log(hz / 1000) / (Math.Log(6.4) / 27);

    public static double Hz(double mel) => mel < 15 ? mel * (200.0 / 3) : 1000 * Math.Exp((mel - 15) * (Math.Log(6.4) / 27));

    /// <summary>Log-mel of one frame of a signal already fitted to the 10 s window.</summary>
    public static double[] Frame(double[] signal, int frame, int sampleRate = 48000, int nFft = 1024, int hop = 480, int bins = 64, double fMin = 50, double fMax = 14000)
    {
        var segment = new double[nFft];
        for (var n = 0; n < nFft; n++)
        {
            var index = frame * hop - nFft / 2 + n;
            if (index < 0)
            {
                index = -index;
            }
            else if (index >= signal.Length)
            {
                index = 2 * (signal.Length - 1) - index;
            }

            segment[n] = signal[index] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * n / nFft));
        }

        var power = new double[nFft / 2 + 1];
        for (var k = 0; k < power.Length; k++)
        {
            double re = 0, im = 0;
            for (var n = 0; n < nFft; n++)
            {
                var angle = 2 * Math.PI * k * n / nFft;
                re += segment[n] * Math.Cos(angle);
                im -= segment[n] * Math.Sin(angle);
            }

            power[k] = re * re + im * im;
        }

        var edges = Enumerable.Range(0, bins + 2).Select(i => Hz(Mel(fMin) + (Mel(fMax) - Mel(fMin)) * i / (bins + 1))).ToArray();
        var result = new double[bins];
        for (var m = 0; m < bins; m++)
        {
            double sum = 0;
            for (var k = 0; k < power.Length; k++)
            {
                var f = k * (sampleRate / 2.0) / (power.Length - 1);
                double weight = 0;
                if (f > edges[m] && f <= edges[m + 1])
                {
                    weight = (f - edges[m]) / (edges[m + 1] - edges[m]);
                }
                else if (f > edges[m + 1] && f < edges[m + 2])
                {
                    weight = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
                }

                sum += weight * 2 / (edges[m + 2] - edges[m]) * power[k];
            }

            result[m] = 10 * Math.Log10(Math.Max(sum, 1e-10));
        }

        return result;
    }
}
