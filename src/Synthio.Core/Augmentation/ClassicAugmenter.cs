using System.Text.Json;
using System.Text.Json.Nodes;
using Synthio.Audio;

namespace Synthio.Augmentation;

/// <summary>
/// Applies the classic augmentation chain of <see cref="ClassicAugmentationSettings"/> to a clip: gain, time
/// stretch (length kept), pitch shift (keeping the spectral envelope unless told otherwise), circular time shift,
/// background mixing, reverb, one of low/high/band-pass (level kept) and Gaussian noise, in that order, each with
/// its probability. The same clip and seed always give the same result; every step draws its random numbers
/// whether it fires or not, so changing one probability does not reshuffle the others. The result has the
/// input's length and rate and never clips.
/// </summary>
public sealed class ClassicAugmenter
{
    private const string Version = "4";

    public ClassicAugmenter(ClassicAugmentationSettings? settings = null)
    {
        Settings = settings ?? ClassicAugmentationSettings.Default;
        var s = Settings;
        double[] probabilities =
        [
            s.GainProbability, s.TimeStretchProbability, s.PitchShiftProbability, s.PitchShiftKeepsEnvelopeProbability, s.TimeShiftProbability, s.BackgroundProbability,
            s.ReverbProbability, s.LowPassProbability, s.HighPassProbability, s.BandPassProbability, s.NoiseProbability,
        ];
        if (probabilities.Any(p => !(p >= 0 && p <= 1)))
        {
            throw new ArgumentException("Every augmentation probability must lie in [0, 1].", nameof(settings));
        }

        if (s.LowPassProbability + s.HighPassProbability + s.BandPassProbability > 1 + 1e-9)
        {
            throw new ArgumentException("The low-, high- and band-pass probabilities share one choice: their sum must not exceed 1.", nameof(settings));
        }

        if (s.TimeStretchRate.Min <= 0 || s.FilterOrder < 2 || s.FilterOrder % 2 != 0)
        {
            throw new ArgumentException("Time-stretch rates must be positive and the filter order even and at least 2.", nameof(settings));
        }

        Identity = IdentityOf(Settings);
    }

    public ClassicAugmentationSettings Settings { get; }

    /// <summary>Name, algorithm version and settings: part of every cache key that depends on augmented audio.</summary>
    public string Identity { get; }

    /// <summary>
    /// The seed of copy <paramref name="copy"/> of the gold clip <paramref name="clipId"/>: the same copy in the
    /// policy search's folds and in the final training set, whatever else is in the dataset.
    /// </summary>
    public static int CopySeed(int runSeed, string clipId, int copy) =>
        (int)(Language.SeededRandom.Mix(runSeed, "classic-copy", clipId, copy) & int.MaxValue);

    /// <summary>
    /// Copy <paramref name="copy"/> of the gold clip <paramref name="clipId"/> as the build writes it and trains on it:
    /// 16-bit WAV. The policy search scores these same bytes, so it measures the copies the build will use.
    /// </summary>
    public byte[] CopyAsWritten(AudioBuffer clip, int runSeed, string clipId, int copy) =>
        WavFile.ToBytes(Augment(clip, CopySeed(runSeed, clipId, copy)), WavSampleFormat.Pcm16);

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
            // Its own stream: the choice of shift leaves every other step's draws where they were.
            var keepsEnvelope = new Random(seed ^ 0x5bd1e995).NextDouble() < s.PitchShiftKeepsEnvelopeProbability;
            audio = keepsEnvelope ? FormantKeepingPitchShifter.Shift(audio, semitones) : AudioTransforms.PitchShift(audio, semitones);
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

        // At most one filter per clip: stacking a high-pass above a low-pass would leave next to nothing.
        // One uniform picks the filter, with the three probabilities as its shares; the filter keeps the level
        // (loudness changes are the gain step's job).
        var filterPick = rng.NextDouble();
        var lowPass = s.LowPassCutoffHz.At(rng.NextDouble());
        var highPass = s.HighPassCutoffHz.At(rng.NextDouble());
        var center = s.BandPassCenterHz.At(rng.NextDouble());
        var bandwidth = s.BandPassBandwidthFraction.At(rng.NextDouble());
        var nyquist = audio.SampleRate / 2.0;
        var before = audio;
        if (filterPick < s.LowPassProbability)
        {
            if (lowPass < 0.95 * nyquist)
            {
                audio = AudioTransforms.LowPass(audio, lowPass, s.FilterOrder);
            }
        }
        else if (filterPick < s.LowPassProbability + s.HighPassProbability)
        {
            if (highPass < 0.95 * nyquist)
            {
                audio = AudioTransforms.HighPass(audio, highPass, s.FilterOrder);
            }
        }
        else if (filterPick < s.LowPassProbability + s.HighPassProbability + s.BandPassProbability && center < 0.9 * nyquist)
        {
            var half = Math.Clamp(bandwidth, 0.01, 1.98) / 2;
            audio = AudioTransforms.BandPass(audio, center * (1 - half), Math.Min(center * (1 + half), 0.95 * nyquist), s.FilterOrder);
        }

        if (!ReferenceEquals(audio, before))
        {
            audio = MatchLevel(audio, AudioOps.Rms(before));
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

    // The two pure chains keep the identities they had before the envelope share existed: version 4 with
    // "PitchShiftKeepsFormants": true for the shift that keeps the envelope, version 3 without the field for the one
    // that scales it. Cached copies stay valid, and so do stored results, whose training order follows cache keys.
    private static string IdentityOf(ClassicAugmentationSettings settings)
    {
        var share = settings.PitchShiftKeepsEnvelopeProbability;
        var fields = JsonSerializer.SerializeToNode(settings)!.AsObject();
        var identity = new JsonObject();
        foreach (var (name, value) in fields)
        {
            if (name != nameof(ClassicAugmentationSettings.PitchShiftKeepsEnvelopeProbability))
            {
                identity[name] = value?.DeepClone();
            }
            else if (share == 1)
            {
                identity["PitchShiftKeepsFormants"] = true;
            }
            else if (share != 0)
            {
                identity[name] = value?.DeepClone();
            }
        }

        return $"classic-augmenter/{(share == 0 ? "3" : Version)}/{identity.ToJsonString()}";
    }

    // Restores an RMS level, with at most +20 dB of make-up gain so a filtered-out clip is not blown up to noise.
    private static AudioBuffer MatchLevel(AudioBuffer audio, double targetRms)
    {
        var rms = AudioOps.Rms(audio);
        return rms > 0 && targetRms > 0 ? AudioOps.Scale(audio, Math.Min(10.0, targetRms / rms)) : audio;
    }

    // One uniform for "does it fire", one for the parameter: always both, to keep the stream aligned.
    private static bool Draw(Random rng, double probability, ParameterRange range, out double value)
    {
        var fires = rng.NextDouble() < probability;
        value = range.At(rng.NextDouble());
        return fires;
    }
}
