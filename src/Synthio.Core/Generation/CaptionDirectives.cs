using System.Text.RegularExpressions;
using Synthio.Language;

namespace Synthio.Generation;

/// <summary>How far away the caption puts the sound.</summary>
public enum DistanceCue
{
    Unspecified,
    Near,
    Far,
}

/// <summary>The acoustic space the caption names.</summary>
public enum RoomCue
{
    Unspecified,
    Open,
    SmallRoom,
    LargeHall,
}

/// <summary>The kinds of background the generator can synthesise when a caption asks for one.</summary>
public enum BackgroundKind
{
    Rain,
    Wind,
    Traffic,
    Crowd,
    Water,
    Hum,
    Birds,
    RoomTone,
}

/// <summary>A background the caption asks for, with its relative level (−1 faint, 0 plain, +1 loud).</summary>
public sealed record BackgroundCue(BackgroundKind Kind, int Level, bool Muffled, string Phrase);

/// <summary>
/// What a caption asks of the sound, read from its words: distance, muffling, room, repetition, level,
/// pitch, tempo and backgrounds. Event words come from the caption minus its scene phrases, so that
/// "distant traffic" makes the traffic distant, not the label's sound.
/// </summary>
public sealed record CaptionDirectives
{
    public DistanceCue Distance { get; init; }

    public bool Muffled { get; init; }

    /// <summary>Narrow-band, as through a phone or radio.</summary>
    public bool Tinny { get; init; }

    public RoomCue Room { get; init; }

    /// <summary>At least three events ("repeated", "several", "series of" …).</summary>
    public bool Repeated { get; init; }

    /// <summary>An exact count when the caption gives one ("once", "twice", "three times").</summary>
    public int? EventCount { get; init; }

    /// <summary>−1 faint/quiet, 0 unspecified, +1 loud.</summary>
    public int Level { get; init; }

    /// <summary>−1 deep/low-pitched, 0 unspecified, +1 high-pitched/small.</summary>
    public int Pitch { get; init; }

    /// <summary>−1 slow, 0 unspecified, +1 rapid.</summary>
    public int Tempo { get; init; }

    public IReadOnlyList<BackgroundCue> Backgrounds { get; init; } = Array.Empty<BackgroundCue>();

    private static readonly (string Word, BackgroundKind Kind)[] BackgroundWords =
    [
        ("rain", BackgroundKind.Rain), ("raining", BackgroundKind.Rain), ("drizzle", BackgroundKind.Rain), ("downpour", BackgroundKind.Rain), ("shower", BackgroundKind.Rain),
        ("wind", BackgroundKind.Wind), ("windy", BackgroundKind.Wind), ("breeze", BackgroundKind.Wind), ("gust", BackgroundKind.Wind), ("gusts", BackgroundKind.Wind), ("storm", BackgroundKind.Wind),
        ("traffic", BackgroundKind.Traffic), ("road", BackgroundKind.Traffic), ("street", BackgroundKind.Traffic), ("city", BackgroundKind.Traffic), ("cars", BackgroundKind.Traffic), ("highway", BackgroundKind.Traffic), ("engine", BackgroundKind.Traffic), ("urban", BackgroundKind.Traffic),
        ("crowd", BackgroundKind.Crowd), ("chatter", BackgroundKind.Crowd), ("voices", BackgroundKind.Crowd), ("people", BackgroundKind.Crowd), ("talking", BackgroundKind.Crowd), ("market", BackgroundKind.Crowd), ("cafe", BackgroundKind.Crowd), ("restaurant", BackgroundKind.Crowd), ("murmur", BackgroundKind.Crowd),
        ("water", BackgroundKind.Water), ("stream", BackgroundKind.Water), ("river", BackgroundKind.Water), ("waves", BackgroundKind.Water), ("sea", BackgroundKind.Water), ("ocean", BackgroundKind.Water), ("fountain", BackgroundKind.Water), ("surf", BackgroundKind.Water), ("beach", BackgroundKind.Water),
        ("hum", BackgroundKind.Hum), ("humming", BackgroundKind.Hum), ("fan", BackgroundKind.Hum), ("machine", BackgroundKind.Hum), ("machinery", BackgroundKind.Hum), ("motor", BackgroundKind.Hum), ("refrigerator", BackgroundKind.Hum), ("fridge", BackgroundKind.Hum), ("buzz", BackgroundKind.Hum), ("drone", BackgroundKind.Hum),
        ("birds", BackgroundKind.Birds), ("bird", BackgroundKind.Birds), ("birdsong", BackgroundKind.Birds), ("chirping", BackgroundKind.Birds), ("forest", BackgroundKind.Birds), ("park", BackgroundKind.Birds), ("garden", BackgroundKind.Birds), ("woods", BackgroundKind.Birds),
        ("room", BackgroundKind.RoomTone), ("indoors", BackgroundKind.RoomTone), ("office", BackgroundKind.RoomTone), ("kitchen", BackgroundKind.RoomTone), ("house", BackgroundKind.RoomTone), ("ambience", BackgroundKind.RoomTone), ("ambient", BackgroundKind.RoomTone), ("hiss", BackgroundKind.RoomTone), ("static", BackgroundKind.RoomTone),
    ];

    private static readonly string[] SceneMarkers = ["background", "behind", "ambience", "ambient", "backdrop", "surroundings"];
    private static readonly string[] FarWords = ["distant", "far", "faraway", "far-off", "afar", "remote", "in the distance", "far away", "far off", "from afar"];
    private static readonly string[] NearWords = ["close", "nearby", "close-up", "up close", "near", "right next", "close by"];
    private static readonly string[] MuffledWords = ["muffled", "through a wall", "behind a wall", "behind a door", "through a door", "dampened", "dull", "underwater", "muted"];
    private static readonly string[] TinnyWords = ["tinny", "through a phone", "over the phone", "over a radio", "on the radio", "telephone", "radio", "thin"];
    private static readonly string[] HallWords = ["large hall", "hall", "cathedral", "church", "cave", "tunnel", "auditorium", "stairwell", "warehouse", "gymnasium", "echo", "echoing", "echoes", "reverberant", "reverberating", "cavernous", "large room", "empty room"];
    private static readonly string[] RoomWords = ["room", "indoors", "inside", "kitchen", "bathroom", "office", "house", "apartment", "garage", "hallway", "corridor"];
    private static readonly string[] OpenWords = ["outdoors", "outside", "open field", "in the open", "field", "open air"];
    private static readonly string[] RepeatWords = ["repeated", "repeatedly", "repeating", "repetitive", "several", "multiple", "series of", "again and again", "many", "continuous", "continuously", "rhythmic", "steady", "constant", "over and over", "successive", "a few"];
    private static readonly string[] SingleWords = ["single", "once", "lone", "a lone", "one", "solitary", "isolated"];
    private static readonly string[] QuietWords = ["faint", "quiet", "soft", "softly", "gentle", "gently", "barely audible", "weak", "light", "subtle", "low-level", "low level"];
    private static readonly string[] LoudWords = ["loud", "loudly", "powerful", "intense", "strong", "booming", "roaring", "heavy", "blaring", "noisy", "busy"];
    private static readonly string[] HighWords = ["high-pitched", "high pitched", "shrill", "squeaky", "small", "tiny", "little", "piercing", "sharp"];
    private static readonly string[] LowWords = ["low-pitched", "low pitched", "deep", "big", "huge", "rumbling", "booming", "gruff", "large"];
    private static readonly string[] FastWords = ["rapid", "rapidly", "fast", "quick", "quickly", "hurried", "frantic", "frenzied"];
    private static readonly string[] SlowWords = ["slow", "slowly", "lazy", "drawn-out", "drawn out", "sluggish", "lingering"];

    /// <summary>
    /// Reads the directives of a caption. Scene phrases are <paramref name="components"/>' scenes plus the
    /// caption's clauses that mention a background; the label's own words are ignored (a "rain" label is
    /// not asking for a rain background).
    /// </summary>
    public static CaptionDirectives Parse(string caption, SoundComponents? components, string label)
    {
        ArgumentNullException.ThrowIfNull(caption);
        var labelWords = Tokens(label.Replace('_', ' ').Replace('-', ' ')).ToHashSet(StringComparer.Ordinal);
        var text = Normalise(caption);

        var scenes = new List<string>();
        if (components is not null)
        {
            scenes.AddRange(components.Scenes.Select(Normalise).Where(s => s.Length > 0));
        }

        foreach (var clause in Regex.Split(text, @"[,;.]| while | with | amid | amidst | against | as | over | under "))
        {
            var trimmed = clause.Trim();
            if (trimmed.Length > 0 && IsSceneClause(trimmed, labelWords))
            {
                scenes.Add(trimmed);
            }
        }

        // Event text: the caption with scene phrases removed, so their adjectives do not leak.
        var eventText = " " + text + " ";
        foreach (var scene in scenes.Distinct().OrderByDescending(s => s.Length))
        {
            eventText = eventText.Replace(" " + scene + " ", " | ", StringComparison.Ordinal);
            eventText = eventText.Replace(scene, " | ", StringComparison.Ordinal);
        }

        eventText = RemoveWords(eventText, labelWords);
        if (components is not null)
        {
            eventText += " " + RemoveWords(" " + string.Join(" | ", components.Events.Select(Normalise)) + " ", labelWords);
        }

        // Reverb words describe the space, which scenes name as often as events do.
        var wholeText = RemoveWords(" " + text + " " + string.Join(" | ", scenes) + " ", labelWords);
        var room = Has(wholeText, HallWords) ? RoomCue.LargeHall
            : Has(wholeText, RoomWords) ? RoomCue.SmallRoom
            : Has(wholeText, OpenWords) ? RoomCue.Open
            : RoomCue.Unspecified;

        // "large hall" must not make the sound itself large, so matched room phrases are removed first.
        var pitchText = Strip(eventText, HallWords);
        var backgrounds = new List<BackgroundCue>();
        foreach (var scene in scenes.Distinct())
        {
            var sceneText = RemoveWords(" " + scene + " ", labelWords);
            var kind = BackgroundWords.FirstOrDefault(b => HasWord(sceneText, b.Word));
            if (kind.Word is null)
            {
                continue;
            }

            var level = Has(sceneText, QuietWords) || Has(sceneText, FarWords) ? -1 : Has(sceneText, LoudWords) ? 1 : 0;
            if (backgrounds.All(b => b.Kind != kind.Kind))
            {
                backgrounds.Add(new BackgroundCue(kind.Kind, level, Has(sceneText, MuffledWords), scene));
            }
        }

        return new CaptionDirectives
        {
            Distance = Has(eventText, FarWords) ? DistanceCue.Far : Has(eventText, NearWords) ? DistanceCue.Near : DistanceCue.Unspecified,
            Muffled = Has(eventText, MuffledWords),
            Tinny = Has(eventText, TinnyWords),
            Room = room,
            Repeated = Has(eventText, RepeatWords),
            EventCount = HasWord(eventText, "twice") || HasWord(eventText, "two") ? 2
                : Has(eventText, ["three times", "thrice", "three"]) ? 3
                : Has(eventText, SingleWords) ? 1
                : null,
            Level = Has(eventText, QuietWords) ? -1 : Has(eventText, LoudWords) ? 1 : 0,
            Pitch = Has(pitchText, HighWords) ? 1 : Has(pitchText, LowWords) ? -1 : 0,
            Tempo = Has(eventText, FastWords) ? 1 : Has(eventText, SlowWords) ? -1 : 0,
            Backgrounds = backgrounds,
        };
    }

    private static bool IsSceneClause(string clause, HashSet<string> labelWords)
    {
        var spaced = RemoveWords(" " + clause + " ", labelWords);
        return SceneMarkers.Any(m => HasWord(spaced, m)) || BackgroundWords.Any(b => HasWord(spaced, b.Word));
    }

    private static string Normalise(string text) =>
        Regex.Replace(text.ToLowerInvariant(), @"[^a-z0-9,;.\- ]+", " ").Trim();

    private static IEnumerable<string> Tokens(string text) =>
        text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string RemoveWords(string spaced, HashSet<string> words)
    {
        foreach (var word in words)
        {
            spaced = ReplacePhrase(ReplacePhrase(spaced, word + "s"), word);
        }

        return spaced;
    }

    private static string Strip(string text, string[] phrases)
    {
        foreach (var phrase in phrases.OrderByDescending(p => p.Length))
        {
            text = ReplacePhrase(text, phrase);
        }

        return text;
    }

    /// <summary>Replaces whole-word occurrences of <paramref name="phrase"/> with a space.</summary>
    private static string ReplacePhrase(string text, string phrase)
    {
        var index = FindPhrase(text, phrase, 0);
        while (index >= 0)
        {
            text = string.Concat(text.AsSpan(0, index), " ", text.AsSpan(index + phrase.Length));
            index = FindPhrase(text, phrase, index + 1);
        }

        return text;
    }

    private static int FindPhrase(string text, string phrase, int from)
    {
        while (from <= text.Length - phrase.Length)
        {
            var index = text.IndexOf(phrase, from, StringComparison.Ordinal);
            if (index < 0)
            {
                return -1;
            }

            var end = index + phrase.Length;
            if ((index == 0 || !IsWordChar(text[index - 1])) && (end == text.Length || !IsWordChar(text[end])))
            {
                return index;
            }

            from = index + 1;
        }

        return -1;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    private static bool Has(string text, string[] phrases) => phrases.Any(p => HasWord(text, p));

    private static bool HasWord(string text, string phrase) => FindPhrase(text, phrase, 0) >= 0;
}
