using Synthio.Audio;

namespace Synthio.Augmentation;

/// <summary>
/// Pitch shift that keeps the spectral envelope. <see cref="AudioTransforms.PitchShift"/> scales every
/// frequency, the resonances of a voice or a body included, which makes a spoken digit sound like another
/// speaker's other vowel. Here each short-time frame of that shifted clip is given back the original frame's
/// envelope (its log magnitude smoothed by keeping the first cepstral coefficients), so the harmonics move and
/// the resonances stay. On FSDD this took the classic chain from costing points to gaining them
/// (<c>docs/augmentation-policy.md</c>).
/// </summary>
public static class FormantKeepingPitchShifter
{
    // 64 ms frames resolve the harmonics of voices down to about 60 Hz; quarter-frame hops with a Hann
    // window on analysis and synthesis overlap-add to a constant.
    private const double FrameSeconds = 0.064;

    // Quefrencies below 1.5 ms describe the envelope: above the period of any pitch up to about 600 Hz.
    private const double LifterSeconds = 0.0015;

    // Where the shifted clip has next to no energy (above the band a downward shift leaves), the envelope
    // ratio would lift noise by orders of magnitude: the correction is capped.
    private const double MaxGainDb = 20;

    /// <summary>
    /// Changes pitch by <paramref name="semitones"/> keeping the duration and the spectral envelope. The result
    /// has the input's length, rate and RMS level.
    /// </summary>
    public static AudioBuffer Shift(AudioBuffer audio, double semitones)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var shifted = AudioTransforms.PitchShift(audio, semitones);
        if (audio.Length == 0 || Math.Abs(semitones) < 1e-9)
        {
            return shifted;
        }

        var rate = audio.SampleRate;
        var size = FftPlan.NextPowerOfTwo((int)(FrameSeconds * rate));
        var hop = size / 4;
        var plan = FftPlan.Get(size);
        var window = HannWindow.Periodic(size);

        var lifter = Math.Max(2, (int)Math.Round(LifterSeconds * rate));
        var maxLogGain = MaxGainDb / 20 * Math.Log(10);
        var n = audio.Length;
        var sum = new double[n];
        var weight = new double[n];
        float[] xRe = new float[size], xIm = new float[size], yRe = new float[size], yIm = new float[size];
        float[] xEnv = new float[size], yEnv = new float[size], scratch = new float[size];
        var original = audio.Samples;
        var moved = shifted.Samples;

        // Frames start one frame before the clip so every sample is covered by the same number of frames.
        for (var start = hop - size; start < n; start += hop)
        {
            for (var i = 0; i < size; i++)
            {
                var t = start + i;
                var inside = t >= 0 && t < n;
                xRe[i] = inside ? original[t] * window[i] : 0;
                yRe[i] = inside ? moved[t] * window[i] : 0;
            }

            Array.Clear(xIm);
            Array.Clear(yIm);
            plan.Forward(xRe, xIm);
            plan.Forward(yRe, yIm);
            LogEnvelope(plan, xRe, xIm, xEnv, scratch, lifter);
            LogEnvelope(plan, yRe, yIm, yEnv, scratch, lifter);
            for (var k = 0; k < size; k++)
            {
                var gain = (float)Math.Exp(Math.Min(maxLogGain, xEnv[k] - yEnv[k]));
                yRe[k] *= gain;
                yIm[k] *= gain;
            }

            plan.Inverse(yRe, yIm);
            for (var i = 0; i < size; i++)
            {
                var t = start + i;
                if (t >= 0 && t < n)
                {
                    sum[t] += yRe[i] * window[i];
                    weight[t] += window[i] * window[i];
                }
            }
        }

        var output = new float[n];
        for (var t = 0; t < n; t++)
        {
            output[t] = weight[t] > 1e-6 ? (float)(sum[t] / weight[t]) : 0;
        }

        var result = new AudioBuffer(output, rate);
        var rms = AudioOps.Rms(result);
        var target = AudioOps.Rms(shifted);
        return rms > 0 && target > 0 ? AudioOps.PreventClipping(AudioOps.Scale(result, target / rms)) : result;
    }

    // The frame's log magnitude with its fine structure removed: the cepstrum (the log magnitude's inverse
    // transform) keeps only its first quefrencies, at both ends since it is symmetric, and goes back.
    private static void LogEnvelope(FftPlan plan, float[] re, float[] im, float[] envelope, float[] scratch, int lifter)
    {
        var size = envelope.Length;
        for (var k = 0; k < size; k++)
        {
            envelope[k] = (float)Math.Log(Math.Sqrt((re[k] * re[k]) + (im[k] * im[k])) + 1e-7);
        }

        Array.Clear(scratch);
        plan.Inverse(envelope, scratch);
        Array.Clear(envelope, lifter, size - (2 * lifter) + 1);
        Array.Clear(scratch);
        plan.Forward(envelope, scratch);
    }
}
