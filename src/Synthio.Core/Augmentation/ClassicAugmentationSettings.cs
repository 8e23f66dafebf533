namespace Synthio.Augmentation;

/// <summary>A closed interval [Min, Max] a parameter is drawn from uniformly.</summary>
public readonly record struct ParameterRange(double Min, double Max)
{
    /// <summary>Maps a uniform draw u in [0, 1) onto the range.</summary>
    public double At(double u) => Min + ((Max - Min) * u);
}

/// <summary>
/// The classic augmentation chain, modelled on the audiomentations pipeline used as the strongest classic
/// baseline in the Synthio paper: each step fires with its own probability and draws its parameter from its
/// range. Ranges follow audiomentations' defaults where those suit short clips. By default every copy is
/// pitch-shifted and time-stretched, with a random gain and circular shift half the time; background mixing,
/// reverb, filters and noise are off. Pitch and speed change was the most reliable transform in the shared
/// datasets' reference experiment, and on ESC-10 (fold 1, n = 2/5/10, 5 seeds, 3 copies per clip) the full
/// chain with those colouring steps on cost 2–3 points against pitch and speed alone, which gained 5 over
/// gold-only. The colouring steps stay available for projects whose recordings vary in that way.
/// </summary>
public sealed record ClassicAugmentationSettings
{
    public static ClassicAugmentationSettings Default { get; } = new();

    public double GainProbability { get; init; } = 0.5;

    /// <summary>Gain in dB.</summary>
    public ParameterRange GainDb { get; init; } = new(-6, 6);

    public double TimeStretchProbability { get; init; } = 1.0;

    /// <summary>Speed factor (&gt; 1 faster); the clip is padded/cropped back to its length afterwards.</summary>
    public ParameterRange TimeStretchRate { get; init; } = new(0.8, 1.25);

    public double PitchShiftProbability { get; init; } = 1.0;

    public ParameterRange PitchShiftSemitones { get; init; } = new(-4, 4);

    /// <summary>
    /// Chance that a copy's pitch shift keeps the spectral envelope (<see cref="FormantKeepingPitchShifter"/>);
    /// otherwise it scales every frequency, resonances included, as resampling does. Speech wants the envelope
    /// kept: a digit's vowels are its resonances, and keeping them gained 3.7 points on FSDD at 5 and 10 clips
    /// per digit (3 copies per clip, 5 seeds). Environmental sounds gain from scaling it (a larger dog, a slower
    /// engine): on ESC-10 every classic policy scored higher with 0 than with 1 (<c>docs/augmentation-policy.md</c>).
    /// </summary>
    public double PitchShiftKeepsEnvelopeProbability { get; init; } = 1.0;

    public double TimeShiftProbability { get; init; } = 0.5;

    /// <summary>Shift as a fraction of the clip length (circular).</summary>
    public ParameterRange TimeShiftFraction { get; init; } = new(-0.5, 0.5);

    /// <summary>Probability of mixing a background clip, when backgrounds are supplied.</summary>
    public double BackgroundProbability { get; init; }

    public ParameterRange BackgroundSnrDb { get; init; } = new(3, 30);

    public double ReverbProbability { get; init; }

    /// <summary>RT60 of the synthetic room in seconds.</summary>
    public ParameterRange ReverbDecaySeconds { get; init; } = new(0.2, 1.0);

    public ParameterRange ReverbWet { get; init; } = new(0.1, 0.5);

    /// <summary>
    /// Chance that the clip's one filter is a low-pass. The low-, high- and band-pass probabilities are shares of
    /// a single choice (at most one filter per clip), so their sum must not exceed 1.
    /// </summary>
    public double LowPassProbability { get; init; }

    public ParameterRange LowPassCutoffHz { get; init; } = new(1500, 7500);

    public double HighPassProbability { get; init; }

    public ParameterRange HighPassCutoffHz { get; init; } = new(20, 2400);

    public double BandPassProbability { get; init; }

    public ParameterRange BandPassCenterHz { get; init; } = new(200, 4000);

    /// <summary>Bandwidth as a fraction of the centre frequency.</summary>
    public ParameterRange BandPassBandwidthFraction { get; init; } = new(0.5, 1.99);

    /// <summary>Filter order of the low/high/band-pass steps (6 dB/octave per order).</summary>
    public int FilterOrder { get; init; } = 4;

    public double NoiseProbability { get; init; }

    public ParameterRange NoiseSnrDb { get; init; } = new(10, 40);
}
