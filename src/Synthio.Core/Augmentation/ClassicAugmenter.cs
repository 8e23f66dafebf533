using System.Text.Json;
using Synthio.Audio;

namespace Synthio.Augmentation;

/// <summary>
/// Applies the classic augmentation chain of <see cref="ClassicAugmentationSettings"/> to a clip: gain, time
/// stretch (length kept), pitch shift, circular time shift, background mixing, reverb, low/high/band-pass
/// and Gaussian noise, in that order, each with its probability. The same clip and seed always give the same
/// result; every step draws its random numbers whether it fires or not, so changing one probability does not
/// reshuffle the others. The result has the input's length and rate and never clips.
/// </summary>
public sealed class ClassicAugmenter
{
    private const string Version = "1";

    public ClassicAugmenter(ClassicAugmentationSettings? settings = null)
    {
        Settings = settings ?? ClassicAugmentationSettings.Default;
        Identity = $"classic-augmenter/{Version}/{JsonSerializer.Serialize(Settings)}";
    }

    public ClassicAugmentationSettings Settings { get; }

    /// <summary>Name, algorithm version and settings: part of every cache key that depends on augmented audio.</summary>
    public string Identity { get; }

    /// <summary>
    /// Returns an augmented copy of <paramref name="clip"/>. <paramref name="backgrounds"/> (any rates) are the pool
    /// the background step draws from; without them the step is skipped.
    /// </summary>
    public AudioBuffer Augment(AudioBuffer clip, int seed, IReadOnlyList<AudioBuffer>? backgrounds = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var s = Settings;
        var rng = new Random(seed);
        var audio = clip;
        var length = clip.Length;
        if (length == 0)
        {
            return new AudioBuffer(Array.Empty<float>(), clip.SampleRate);
        }

        if (Draw(rng, s.GainProbability, s.GainDb, out var gainDb))
        {
            audio = AudioTransforms.Gain(audio, gainDb);
        }

        if (Draw(rng, s.TimeStretchProbability, s.TimeStretchRate, out var rate))
        {
            audio = AudioOps.FitToLength(AudioTransforms.TimeStretch(audio, rate), length);
        }

        if (Draw(rng, s.PitchShiftProbability, s.PitchShiftSemitones, out var semitones))
        {
            audio = AudioTransforms.PitchShift(audio, semitones);
        }

        if (Draw(rng, s.TimeShiftProbability, s.TimeShiftFraction, out var shift))
        {
            audio = AudioTransforms.TimeShiftFraction(audio, shift, wrap: true);
        }

        var backgroundFires = Draw(rng, s.BackgroundProbability, s.BackgroundSnrDb, out var backgroundSnr);
        var backgroundPick = rng.NextDouble();
        var backgroundOffset = rng.NextDouble();
        if (backgroundFires && backgrounds is { Count: > 0 })
        {
            var background = backgrounds[Math.Min(backgrounds.Count - 1, (int)(backgroundPick * backgrounds.Count))];
            audio = AudioTransforms.MixAtSnr(audio, background, backgroundSnr, (int)(backgroundOffset * Math.Max(1, background.Length)));
        }

        var reverbFires = Draw(rng, s.ReverbProbability, s.ReverbDecaySeconds, out var decay);
        var wet = s.ReverbWet.At(rng.NextDouble());
        var reverbSeed = rng.Next();
        if (reverbFires)
        {
            audio = AudioTransforms.Reverb(audio, decay, wet, reverbSeed);
        }

        var nyquist = audio.SampleRate / 2.0;
        if (Draw(rng, s.LowPassProbability, s.LowPassCutoffHz, out var lowPass) && lowPass < 0.95 * nyquist)
        {
            audio = AudioTransforms.LowPass(audio, lowPass, s.FilterOrder);
        }

        if (Draw(rng, s.HighPassProbability, s.HighPassCutoffHz, out var highPass) && highPass < 0.95 * nyquist)
        {
            audio = AudioTransforms.HighPass(audio, highPass, s.FilterOrder);
        }

        var bandPassFires = Draw(rng, s.BandPassProbability, s.BandPassCenterHz, out var center);
        var bandwidth = s.BandPassBandwidthFraction.At(rng.NextDouble());
        if (bandPassFires && center < 0.9 * nyquist)
        {
            var half = Math.Clamp(bandwidth, 0.01, 1.98) / 2;
            audio = AudioTransforms.BandPass(audio, center * (1 - half), Math.Min(center * (1 + half), 0.95 * nyquist), s.FilterOrder);
        }

        var noiseFires = Draw(rng, s.NoiseProbability, s.NoiseSnrDb, out var noiseSnr);
        var noiseSeed = rng.Next();
        if (noiseFires)
        {
            audio = AudioTransforms.AddNoise(audio, noiseSnr, new Random(noiseSeed));
        }

        audio = AudioOps.PreventClipping(audio);
        return ReferenceEquals(audio, clip) ? new AudioBuffer((float[])clip.Samples.Clone(), clip.SampleRate) : audio;
    }

    // One uniform for "does it fire", one for the parameter: always both, to keep the stream aligned.
    private static bool Draw(Random rng, double probability, ParameterRange range, out double value)
    {
        var fires = rng.NextDouble() < probability;
        value = range.At(rng.NextDouble());
        return fires;
    }
}
