using Synthio.Captioning;

namespace Synthio.Language;

/// <summary>
/// The embedded language model: does prompts 1–3 without a network or a model file, deterministically per seed.
/// Prompt 1 parses the caption with <see cref="CaptionGrammar"/>; MixCap combines pooled events and scenes in
/// varied sentence frames, adding a novel vocabulary phrase in about one caption in five; reflection swaps every
/// event and scene already tried for unused ones of the same acoustic family.
/// </summary>
public sealed class OfflineComposer : ILanguageModel
{
    /// <summary>Bumped whenever the composer's output for the same inputs changes: part of every cache key.</summary>
    public const string Version = "1";

    /// <summary>Design §2: captions have at most 25 words.</summary>
    public const int MaxWords = 25;

    /// <summary>Share of captions that bring in one component from outside the pool.</summary>
    public const double NovelShare = 0.2;

    // Frames with two events. {L} label phrase, {e1}/{e2} events, {s} scene. Every scene is set off by a comma
    // (or opens the sentence) so the grammar can cut it back out.
    private static readonly string[] TwoEventFrames =
    [
        "{L}: {e1} and {e2}, {s}.",
        "The sound of {L}, {e1} with {e2}, {s}.",
        "{e1} from {L} with {e2}, {s}.",
        "{s}, {L} with {e1} and {e2}.",
        "A recording of {L} with {e1} followed by {e2}, {s}.",
        "{L} heard as {e1} while {e2} continues, {s}.",
        "{e1} mixed with {e2} as {L} goes on, {s}.",
        "Close recording of {L} producing {e1}, with {e2}, {s}.",
        "{L} with {e1}, {e2} joining in, {s}.",
        "{s}, {e1} and {e2} come from {L}.",
    ];

    private static readonly string[] OneEventFrames =
    [
        "{L} with {e1}, {s}.",
        "The sound of {L}: {e1}, {s}.",
        "{s}, {L} producing {e1}.",
        "{e1} from {L}, {s}.",
        "A recording of {L} heard as {e1}, {s}.",
        "{L} making {e1}, {s}.",
    ];

    private static readonly string[] NoSceneFrames =
    [
        "{L} with {e1}.",
        "The sound of {L}: {e1}.",
    ];

    /// <inheritdoc />
    public Task<string> GetIdentityAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult($"offline-composer/{Version}");

    /// <inheritdoc />
    public Task<SoundComponents> ExtractComponentsAsync(string label, string caption, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(CaptionGrammar.Parse(label, caption));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ComposeCaptionsAsync(string label, SoundComponents pool, int count, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        cancellationToken.ThrowIfCancellationRequested();

        var random = SeededRandom.For(seed, "mixcap", label, string.Join('|', pool.Events), string.Join('|', pool.Scenes), count);
        var phrase = LabelPhrase.Of(label);
        var events = pool.Events.Select(Clean).Where(e => e.Length > 0).Distinct().ToList();
        var scenes = pool.Scenes.Select(Clean).Where(s => s.Length > 0).Distinct().ToList();
        var novelEvents = AcousticVocabulary.Events.Select(e => e.Phrase).Where(p => !events.Any(e => Overlaps(e, p))).ToList();
        var novelScenes = AcousticVocabulary.Scenes.Where(p => !scenes.Any(s => Overlaps(s, p))).ToList();
        if (events.Count == 0)
        {
            events.AddRange(random.Shuffle(novelEvents).Take(3));
        }

        var captions = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < count; i++)
        {
            string caption = string.Empty;
            for (var attempt = 0; attempt < 24; attempt++)
            {
                var e1 = random.Pick(events);
                string? e2 = null;
                // A second event that is not a louder or longer copy of the first ("a rushing roar" twice).
                var others = events.Where(e => !Overlaps(e, e1) && !Overlaps(CoreOf(e), CoreOf(e1))).ToList();
                if (others.Count > 0 && random.NextDouble() < 0.7)
                {
                    e2 = random.Pick(others);
                }

                string? scene = scenes.Count > 0 && random.NextDouble() < 0.9 ? random.Pick(scenes) : null;

                // A small share of captions bring in one novel component (design §2 step 3).
                if (random.NextDouble() < NovelShare)
                {
                    if ((random.NextDouble() < 0.6 || scene is null) && novelEvents.Count > 0)
                    {
                        var novel = random.Pick(novelEvents);
                        if (random.NextDouble() < 0.4)
                        {
                            novel += " " + random.Pick(AcousticVocabulary.RhythmPhrases);
                        }

                        e2 = novel;
                    }
                    else if (novelScenes.Count > 0)
                    {
                        scene = random.Pick(novelScenes);
                    }
                }

                caption = Fit(phrase, e1, e2, scene, random);
                if (seen.Add(caption))
                {
                    break;
                }
            }

            captions.Add(caption);
        }

        return Task.FromResult<IReadOnlyList<string>>(captions);
    }

    /// <inheritdoc />
    public Task<string> ReflectAsync(string label, string rejectedCaption, SoundComponents alreadyTried, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(rejectedCaption);
        ArgumentNullException.ThrowIfNull(alreadyTried);
        cancellationToken.ThrowIfCancellationRequested();

        var random = SeededRandom.For(seed, "reflect", label, rejectedCaption, string.Join('|', alreadyTried.All));
        var phrase = LabelPhrase.Of(label);
        var rejected = CaptionGrammar.Parse(label, rejectedCaption);
        var triedEvents = rejected.Events.Concat(alreadyTried.Events).Select(Clean).ToList();
        var triedScenes = rejected.Scenes.Concat(alreadyTried.Scenes).Select(Clean).ToList();

        // Keep the acoustic character of the rejected caption (its first event's family) where the vocabulary
        // allows, so the rewrite still sounds like the label; fall back to any unused event.
        var family = rejected.Events.Select(AcousticVocabulary.FamilyOf).FirstOrDefault(f => f is not null);
        var unused = AcousticVocabulary.Events.Where(e => !triedEvents.Any(t => Overlaps(t, e.Phrase))).ToList();
        var sameFamily = unused.Where(e => e.Family == family).Select(e => e.Phrase).ToList();
        var candidates = sameFamily.Count >= 2 ? sameFamily : unused.Select(e => e.Phrase).ToList();
        if (candidates.Count == 0)
        {
            // Everything has been tried: vary the least-used phrases with a rhythm the rejected caption lacked.
            candidates = AcousticVocabulary.Events.Select(e => e.Phrase + " " + random.Pick(AcousticVocabulary.RhythmPhrases))
                .Where(p => !rejected.Events.Contains(p)).ToList();
        }

        var sceneCandidates = AcousticVocabulary.Scenes.Where(s => !triedScenes.Any(t => Overlaps(t, s))).ToList();
        var shuffled = random.Shuffle(candidates);
        var e1 = shuffled[0];
        var e2 = shuffled.Count > 1 && random.NextDouble() < 0.6 ? shuffled[1] : null;
        var scene = sceneCandidates.Count > 0 ? random.Pick(sceneCandidates) : null;
        return Task.FromResult(Fit(phrase, e1, e2, scene, random));
    }

    /// <summary>Fills a random frame and drops optional parts until the caption has at most <see cref="MaxWords"/> words.</summary>
    private static string Fit(string phrase, string e1, string? e2, string? scene, SeededRandom random)
    {
        while (true)
        {
            var frames = scene is null ? NoSceneFrames : e2 is null ? OneEventFrames : TwoEventFrames;
            var caption = Fill(random.Pick(frames), phrase, e1, e2, scene);
            if (CaptionText.WordCount(caption) <= MaxWords)
            {
                return caption;
            }

            if (e2 is not null)
            {
                e2 = null;
            }
            else if (scene is not null)
            {
                scene = null;
            }
            else
            {
                // A single event longer than the limit: keep its first words.
                var budget = MaxWords - CaptionText.WordCount(Fill(NoSceneFrames[0], phrase, string.Empty, null, null));
                e1 = string.Join(' ', e1.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(Math.Max(1, budget)));
                return Fill(NoSceneFrames[0], phrase, e1, null, null);
            }
        }
    }

    private static string Fill(string frame, string phrase, string e1, string? e2, string? scene)
    {
        var text = frame
            .Replace("{L}", phrase, StringComparison.Ordinal)
            .Replace("{e1}", e1, StringComparison.Ordinal)
            .Replace("{e2}", e2 ?? string.Empty, StringComparison.Ordinal)
            .Replace("{s}", scene ?? string.Empty, StringComparison.Ordinal);
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static string Clean(string phrase) => string.Join(' ', phrase.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The vocabulary phrase an event is built on, or the event itself when it uses none.</summary>
    private static string CoreOf(string phrase)
    {
        var normalized = CaptionText.NormalizePhrase(phrase);
        var match = AcousticVocabulary.Events.Select(e => CaptionText.NormalizePhrase(e.Phrase))
            .Where(core => normalized.Contains(core, StringComparison.Ordinal))
            .OrderByDescending(core => core.Length)
            .FirstOrDefault();
        return match ?? normalized;
    }

    /// <summary>Whether two phrases name the same thing: equal after normalisation, or one contains the other.</summary>
    private static bool Overlaps(string a, string b)
    {
        var x = CaptionText.NormalizePhrase(a);
        var y = CaptionText.NormalizePhrase(b);
        return x.Length > 0 && y.Length > 0 && (x.Contains(y, StringComparison.Ordinal) || y.Contains(x, StringComparison.Ordinal));
    }
}
