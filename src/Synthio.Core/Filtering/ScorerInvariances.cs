using Synthio.Audio;
using Synthio.Generation;

namespace Synthio.Filtering;

/// <summary>
/// Label-preserving recording changes applied to gold clips when fitting the scorer: a level change,
/// a peaking equaliser, up to a semitone of varispeed, faint pink noise and sometimes a little
/// reverberation. They teach the scorer that such differences do not change what a sound is.
/// </summary>
internal static class ScorerInvariances
{
    public static AudioBuffer Copy(AudioBuffer audio, int seed)
    {
        var random = new SplitMixRandom((ulong)seed * 0x9E3779B97F4A7C15UL + 1);
        var rate = audio.SampleRate;
        var samples = SignalKernels.Varispeed(audio.Samples, Math.Pow(2, random.Range(-1, 1) / 12.0));
        var centre = Math.Exp(random.Range(Math.Log(150), Math.Log(Math.Min(6000, rate * 0.4))));
        SignalKernels.Peak(samples, rate, centre, random.Range(-6, 6), random.Range(0.7, 1.5));
        var rms = SignalKernels.Rms(samples);
        if (rms > 0)
        {
            var noise = new float[samples.Length];
            SignalKernels.FillNoise(noise, NoiseColour.Pink, ref random);
            var snr = random.Range(20, 35);
            SignalKernels.MixInto(samples, noise, 0, (float)(rms / Math.Pow(10, snr / 20) / SignalKernels.Rms(noise)));
        }

        if (random.Chance(0.5))
        {
            SignalKernels.Reverb(samples, rate, random.Range(0.3, 0.9), random.Range(0.08, 0.2), random.Range(0.7, 1.2));
        }

        var gain = (float)Math.Pow(10, random.Range(-6, 6) / 20);
        SignalKernels.Scale(samples, gain);
        var peak = SignalKernels.Peak(samples);
        if (peak > 0.99f)
        {
            SignalKernels.Scale(samples, 0.99f / peak);
        }

        return new AudioBuffer(samples, rate);
    }
}
