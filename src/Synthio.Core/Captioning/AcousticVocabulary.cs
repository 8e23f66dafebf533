namespace Synthio.Captioning;

/// <summary>Broad acoustic character of a sound event; reflection swaps events within a family.</summary>
public enum EventFamily
{
    /// <summary>Clear pitch: hums, whines, calls.</summary>
    Tonal,

    /// <summary>Short transients: clicks, knocks, pops.</summary>
    Impulsive,

    /// <summary>Broadband, unpitched and sustained: hiss, roar, rumble.</summary>
    Noisy,

    /// <summary>Sustained sound with a fast regular flutter: rotors, engines, buzzing.</summary>
    Pulsing,
}

/// <summary>One event phrase the captioner can write, with its family.</summary>
public sealed record VocabularyEvent(string Phrase, EventFamily Family);

/// <summary>
/// The words of the descriptor captioner and the offline composer. Captions are built from these phrases,
/// and no phrase contains a clause separator (comma, colon, "and", "with", "as", "while", "followed by",
/// "mixed with"), which is what lets <see cref="Language.CaptionGrammar"/> split any caption written
/// from them back into its events and scenes.
/// </summary>
public static class AcousticVocabulary
{
    /// <summary>Every event phrase, grouped by family; the captioner picks from these by measurement.</summary>
    public static IReadOnlyList<VocabularyEvent> Events { get; } =
    [
        new("a low droning hum", EventFamily.Tonal),
        new("a steady mid-pitched tone", EventFamily.Tonal),
        new("a high-pitched whine", EventFamily.Tonal),
        new("a shrill piercing tone", EventFamily.Tonal),
        new("a wavering low tone", EventFamily.Tonal),
        new("a wavering mid-pitched tone", EventFamily.Tonal),
        new("a wavering high-pitched tone", EventFamily.Tonal),
        new("short low tonal calls", EventFamily.Tonal),
        new("short mid-pitched tonal calls", EventFamily.Tonal),
        new("short high-pitched chirps", EventFamily.Tonal),
        new("wailing low cries", EventFamily.Tonal),
        new("wailing mid-pitched cries", EventFamily.Tonal),
        new("wailing high-pitched cries", EventFamily.Tonal),
        new("a ringing metallic tone", EventFamily.Tonal),
        new("a soft whistling tone", EventFamily.Tonal),
        new("sharp clicks", EventFamily.Impulsive),
        new("crisp ticks", EventFamily.Impulsive),
        new("hollow knocks", EventFamily.Impulsive),
        new("light taps", EventFamily.Impulsive),
        new("dull thuds", EventFamily.Impulsive),
        new("crackling pops", EventFamily.Impulsive),
        new("a dense crackle", EventFamily.Impulsive),
        new("soft pattering", EventFamily.Impulsive),
        new("abrupt barks of sound", EventFamily.Impulsive),
        new("short snapping bursts", EventFamily.Impulsive),
        new("a steady hiss", EventFamily.Noisy),
        new("a rushing roar", EventFamily.Noisy),
        new("a low rumble", EventFamily.Noisy),
        new("surging swells of noise", EventFamily.Noisy),
        new("a soft breathy rustle", EventFamily.Noisy),
        new("a bright spray of noise", EventFamily.Noisy),
        new("a muffled whoosh", EventFamily.Noisy),
        new("a gritty scraping noise", EventFamily.Noisy),
        new("a rough buzzing drone", EventFamily.Pulsing),
        new("rapid thumping pulses", EventFamily.Pulsing),
        new("a throbbing whirr", EventFamily.Pulsing),
        new("a rattling motor-like buzz", EventFamily.Pulsing),
        new("a fluttering purr", EventFamily.Pulsing),
        new("a revving whine", EventFamily.Pulsing),
    ];

    /// <summary>Scene phrases: where the events happen. Each starts with a preposition or place word.</summary>
    public static IReadOnlyList<string> Scenes { get; } =
    [
        "in near silence",
        "in a quiet setting",
        "over a constant background hiss",
        "against a low background rumble",
        "amid steady background noise",
        "in an echoing space",
        "in a small dry room",
        "close to the microphone",
        "from a distance",
        "outdoors in open air",
        "over faint wind noise",
        "amid distant traffic noise",
        "in a large hall",
        "beside a humming appliance",
        "under light rainfall",
    ];

    /// <summary>Words that open a scene phrase; a caption fragment starting with one of them is a scene.</summary>
    public static IReadOnlyList<string> ScenePrefixes { get; } =
    [
        "in ", "over ", "against ", "amid ", "amidst ", "under ", "beneath ", "behind ", "beside ", "near ",
        "close to ", "from a distance", "from afar", "far away", "outdoors", "indoors", "inside ", "outside ",
        "on a ", "on the ", "at a ", "at the ", "through ", "within ",
    ];

    /// <summary>Rhythm phrases the composer may attach to a novel event.</summary>
    public static IReadOnlyList<string> RhythmPhrases { get; } =
    [
        "repeating steadily",
        "in irregular bursts",
        "repeating about twice per second",
        "fading in slowly",
        "swelling slowly",
        "once",
        "several times",
        "throughout",
    ];

    /// <summary>The family of a known event phrase (matched on its head words), or null when the phrase is not from this vocabulary.</summary>
    public static EventFamily? FamilyOf(string phrase)
    {
        var normalized = Language.CaptionText.NormalizePhrase(phrase);
        foreach (var e in Events)
        {
            var core = Language.CaptionText.NormalizePhrase(e.Phrase);
            if (normalized.StartsWith(core, StringComparison.Ordinal))
            {
                return e.Family;
            }
        }

        return null;
    }
}
