using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synthio.Generation;

/// <summary>
/// The ranges the <see cref="EmbeddedGenerator"/> draws its random choices from. Preference tuning
/// (<see cref="PreferenceTuner"/>) adjusts them per dataset; they are part of the
/// generator's identity and serialise to JSON so a tuned set can be cached.
/// </summary>
public sealed record GeneratorParameters
{
    public static GeneratorParameters Default { get; } = new();

    /// <summary>Fewest events placed in an event-type clip when the caption gives no count.</summary>
    public int MinEvents { get; init; } = 1;

    /// <summary>Most events placed in an event-type clip.</summary>
    public int MaxEvents { get; init; } = 24;

    /// <summary>
    /// Without a count in the caption, a clip gets the event rate (events per second) of one of its
    /// source clips times a factor drawn from [<see cref="EventRateMin"/>, <see cref="EventRateMax"/>]:
    /// a clock keeps ticking like a clock, a sneeze stays a sneeze or two.
    /// </summary>
    public double EventRateMin { get; init; } = 0.5;

    public double EventRateMax { get; init; } = 1.5;

    /// <summary>Largest random pitch change of an event or texture chunk, in semitones (varispeed: tempo follows).</summary>
    public double PitchSemitones { get; init; } = 3.0;

    /// <summary>Random timing jitter of each event around its slot, as a fraction of the slot.</summary>
    public double TimingJitter { get; init; } = 0.5;

    /// <summary>Per-event gain spread, dB (±).</summary>
    public double EventGainJitterDb { get; init; } = 4.0;

    /// <summary>Spread of the output level around the level of a randomly chosen gold clip, dB (±).</summary>
    public double LevelJitterDb { get; init; } = 6.0;

    /// <summary>Lowest event-to-background ratio, dB.</summary>
    public double SnrMinDb { get; init; } = 6.0;

    /// <summary>Highest event-to-background ratio, dB.</summary>
    public double SnrMaxDb { get; init; } = 35.0;

    /// <summary>Chance of a coloured-noise background instead of the label's own quiet stretches when the caption names none.</summary>
    public double NoiseBackgroundChance { get; init; } = 0.25;

    /// <summary>Chance of a random colouring filter (low-, high- or band-pass) when the caption asks for none.</summary>
    public double FilterChance { get; init; } = 0.3;

    /// <summary>Chance of a random peaking equaliser (the colouring of another microphone or room).</summary>
    public double EqualiserChance { get; init; } = 0.5;

    /// <summary>Largest boost or cut of the random equaliser, dB.</summary>
    public double EqualiserGainDb { get; init; } = 9.0;

    /// <summary>Lowest cut-off of a random low-pass, Hz.</summary>
    public double LowPassMinHz { get; init; } = 1500;

    /// <summary>Highest cut-off of a random high-pass, Hz.</summary>
    public double HighPassMaxHz { get; init; } = 500;

    /// <summary>Chance of random reverberation when the caption names no space.</summary>
    public double ReverbChance { get; init; } = 0.25;

    /// <summary>Largest wet share of random reverberation.</summary>
    public double ReverbWetMax { get; init; } = 0.35;

    /// <summary>Texture chunks (for clips without separable events) are drawn between these lengths, seconds.</summary>
    public double TextureChunkMinSeconds { get; init; } = 0.5;

    public double TextureChunkMaxSeconds { get; init; } = 2.0;

    /// <summary>How many different gold clips one generated clip may draw its events or chunks from.</summary>
    public int MaxSourceClips { get; init; } = 2;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static GeneratorParameters FromJson(string json) =>
        JsonSerializer.Deserialize<GeneratorParameters>(json, JsonOptions)
        ?? throw new FormatException("generator parameters JSON is empty");

    /// <summary>Checks that every range is usable; returns the reason when one is not.</summary>
    public string? Validate()
    {
        if (MinEvents < 1 || MaxEvents < MinEvents)
        {
            return "events: need 1 <= MinEvents <= MaxEvents";
        }

        if (EventRateMin <= 0 || EventRateMax < EventRateMin)
        {
            return "event rate: need 0 < EventRateMin <= EventRateMax";
        }

        if (SnrMaxDb < SnrMinDb)
        {
            return "SNR: SnrMaxDb < SnrMinDb";
        }

        if (TextureChunkMinSeconds <= 0 || TextureChunkMaxSeconds < TextureChunkMinSeconds)
        {
            return "texture chunks: need 0 < min <= max";
        }

        if (PitchSemitones < 0 || TimingJitter < 0 || EventGainJitterDb < 0 || LevelJitterDb < 0 || MaxSourceClips < 1)
        {
            return "jitters must be non-negative and MaxSourceClips >= 1";
        }

        return null;
    }
}
