namespace Synthio.Augmentation;

/// <summary>Kind of response of a <see cref="ButterworthFilter"/>.</summary>
public enum FilterKind
{
    LowPass,
    HighPass,
}

/// <summary>
/// Butterworth low- or high-pass filter of even order, run as a cascade of second-order sections
/// (bilinear transform, audio-EQ-cookbook coefficients, Q of each section from the Butterworth pole angles).
/// Roll-off is 6·order dB per octave beyond the cut-off; the response is −3 dB at the cut-off.
/// </summary>
public sealed class ButterworthFilter
{
    private readonly double[] _b0, _b1, _b2, _a1, _a2;

    public ButterworthFilter(FilterKind kind, double cutoffHz, int sampleRate, int order = 4)
    {
        if (order < 2 || order % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "Order must be even and at least 2.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);

        // Keep the cut-off strictly inside (0, Nyquist) so the bilinear transform stays stable.
        var cutoff = Math.Clamp(cutoffHz, 1.0, 0.499 * sampleRate);
        var sections = order / 2;
        _b0 = new double[sections];
        _b1 = new double[sections];
        _b2 = new double[sections];
        _a1 = new double[sections];
        _a2 = new double[sections];
        var w0 = 2 * Math.PI * cutoff / sampleRate;
        var cos = Math.Cos(w0);
        var sin = Math.Sin(w0);
        for (var s = 0; s < sections; s++)
        {
            var q = 1 / (2 * Math.Cos(Math.PI * ((2 * s) + 1) / (2 * order)));
            var alpha = sin / (2 * q);
            var a0 = 1 + alpha;
            if (kind == FilterKind.LowPass)
            {
                _b0[s] = (1 - cos) / 2 / a0;
                _b1[s] = (1 - cos) / a0;
                _b2[s] = (1 - cos) / 2 / a0;
            }
            else
            {
                _b0[s] = (1 + cos) / 2 / a0;
                _b1[s] = -(1 + cos) / a0;
                _b2[s] = (1 + cos) / 2 / a0;
            }

            _a1[s] = -2 * cos / a0;
            _a2[s] = (1 - alpha) / a0;
        }
    }

    /// <summary>Filters <paramref name="input"/> into <paramref name="output"/> (they may be the same span), from rest.</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException("Output is shorter than input.", nameof(output));
        }

        input.CopyTo(output);
        for (var s = 0; s < _b0.Length; s++)
        {
            double b0 = _b0[s], b1 = _b1[s], b2 = _b2[s], a1 = _a1[s], a2 = _a2[s];
            double z1 = 0, z2 = 0;

            // Transposed direct form II in double precision: stable for low cut-offs.
            for (var i = 0; i < input.Length; i++)
            {
                double x = output[i];
                var y = (b0 * x) + z1;
                z1 = (b1 * x) - (a1 * y) + z2;
                z2 = (b2 * x) - (a2 * y);
                output[i] = (float)y;
            }
        }
    }
}
