using Synthio.Audio;

namespace Synthio.Features;

/// <summary>
/// Fundamental-frequency estimate of a clip (or a stretch of it) from its autocorrelation, computed by FFT,
/// corrected for the shrinking overlap at long lags and refined by parabolic interpolation around the peak.
/// The smallest lag whose correlation comes within 10 % of the best one wins, which avoids octave-down errors
/// on harmonic sounds.
/// </summary>
public static class PitchEstimator
{
    /// <summary>Result of <see cref="Estimate(AudioBuffer, double, double)"/>.</summary>
    /// <param name="FrequencyHz">Estimated fundamental in Hz (0 when nothing periodic was found).</param>
    /// <param name="Periodicity">Normalised autocorrelation at the chosen lag: near 1 for a steady periodic sound, near 0 for noise.</param>
    public readonly record struct PitchEstimate(double FrequencyHz, double Periodicity);

    /// <summary>Estimates the fundamental between <paramref name="minHz"/> and <paramref name="maxHz"/>.</summary>
    public static PitchEstimate Estimate(AudioBuffer audio, double minHz = 50, double maxHz = 2000)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (!(minHz > 0) || !(maxHz > minHz))
        {
            throw new ArgumentException($"Need 0 < minHz < maxHz (got {minHz}, {maxHz}).");
        }

        var x = audio.Samples;
        var n = x.Length;
        var minLag = Math.Max(2, (int)Math.Floor(audio.SampleRate / maxHz));
        var maxLag = Math.Min(n / 2, (int)Math.Ceiling(audio.SampleRate / minHz));
        if (maxLag <= minLag + 1)
        {
            return new PitchEstimate(0, 0);
        }

        // Autocorrelation by FFT of the zero-padded, mean-removed signal.
        var size = FftPlan.NextPowerOfTwo(2 * n);
        var plan = FftPlan.Get(size);
        var re = new float[size];
        var im = new float[size];
        var mean = 0.0;
        foreach (var s in x)
        {
            mean += s;
        }

        mean /= n;
        for (var i = 0; i < n; i++)
        {
            re[i] = (float)(x[i] - mean);
        }

        plan.Forward(re, im);
        for (var k = 0; k < size; k++)
        {
            re[k] = (re[k] * re[k]) + (im[k] * im[k]);
            im[k] = 0;
        }

        plan.Inverse(re, im);
        var energy = re[0];
        if (!(energy > 0))
        {
            return new PitchEstimate(0, 0);
        }

        // Unbiased normalisation: divide by the overlap length, relative to lag 0.
        double Normalised(int lag) => re[lag] / energy * n / (n - lag);

        var best = double.NegativeInfinity;
        for (var lag = minLag; lag <= maxLag; lag++)
        {
            best = Math.Max(best, Normalised(lag));
        }

        if (!(best > 0))
        {
            return new PitchEstimate(0, 0);
        }

        for (var lag = minLag + 1; lag < maxLag; lag++)
        {
            var value = Normalised(lag);
            if (value >= 0.9 * best && value >= Normalised(lag - 1) && value >= Normalised(lag + 1))
            {
                double left = Normalised(lag - 1), right = Normalised(lag + 1);
                var curvature = left - (2 * value) + right;
                var offset = curvature < 0 ? 0.5 * (left - right) / curvature : 0;
                var refined = lag + Math.Clamp(offset, -0.5, 0.5);
                return new PitchEstimate(audio.SampleRate / refined, Math.Min(1, value));
            }
        }

        return new PitchEstimate(0, 0);
    }
}
