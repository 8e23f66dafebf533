using Synthio.Diagnostics;
using Synthio.Language;

namespace Synthio.Generation;

/// <summary>Per-label bookkeeping of generation (manifest <c>stats</c>, report table).</summary>
/// <param name="Label">The label.</param>
/// <param name="Gold">Gold training clips of the label.</param>
/// <param name="Target">Synthetic clips wanted (gold × multiplier).</param>
/// <param name="Generated">Clips generated, over all rounds.</param>
/// <param name="Accepted">Clips kept (scored at or above the threshold, or all of them without the filter).</param>
/// <param name="Rejected">Clips scored below the threshold, over all rounds.</param>
/// <param name="Revised">Captions rewritten by self-reflection.</param>
public sealed record LabelGenerationStats(string Label, int Gold, int Target, int Generated, int Accepted, int Rejected, int Revised)
{
    /// <summary>The filter's threshold for this label (fixed, or the label's own with <c>auto</c>); null without the filter.</summary>
    public double? Threshold { get; init; }

    /// <summary>Accepted clips short of the target.</summary>
    public int Missing => Math.Max(0, Target - Accepted);

    public bool ReachedTarget => Accepted >= Target;

    /// <summary>
    /// The <see cref="DiagnosticCodes.LabelTargetMissed"/> warning with the numbers, or null when the target was
    /// reached; <paramref name="hint"/>, when given, ends the message (what the user could change).
    /// </summary>
    public Diagnostic? TargetMissedWarning(double threshold, int reflectionRounds, string? hint = null) =>
        ReachedTarget
            ? null
            : Diagnostic.Warning(
                DiagnosticCodes.LabelTargetMissed,
                $"label '{Label}': {Accepted} of {Target} synthetic clips accepted ({Generated} generated, {Rejected} rejected below score {threshold:0.##}, {Revised} captions revised over {reflectionRounds} reflection round(s)); training continues with {Gold} gold + {Accepted} synthetic"
                + (hint is null ? string.Empty : $". {hint}"));
}

/// <summary>A caption and its components, as the language stage produced it.</summary>
public sealed record CaptionCandidate(string Caption, SoundComponents Components);

/// <summary>One generated clip of the loop and what became of it.</summary>
/// <param name="Candidate">The caption it was generated from.</param>
/// <param name="Clip">The caller's clip (audio, cache key, sources …).</param>
/// <param name="Score">The filter's score; null when the filter is off.</param>
/// <param name="Accepted">Whether it is kept.</param>
/// <param name="Round">0 for MixCap captions, 1… for captions rewritten by self-reflection.</param>
/// <param name="Seed">The seed it was generated with.</param>
public sealed record ReflectionAttempt<TClip>(CaptionCandidate Candidate, TClip Clip, double? Score, bool Accepted, int Round, int Seed);

/// <summary>What the loop produced for one label.</summary>
public sealed record ReflectionOutcome<TClip>(LabelGenerationStats Stats, IReadOnlyList<ReflectionAttempt<TClip>> Attempts)
{
    public IEnumerable<ReflectionAttempt<TClip>> Accepted => Attempts.Where(a => a.Accepted);
}

/// <summary>Options of <see cref="ReflectionLoop{TClip}"/>.</summary>
/// <param name="Threshold">Keep clips scoring at least this (the paper's 0.85).</param>
/// <param name="ReflectionRounds">Rewrite-and-regenerate rounds for rejected captions (the released code uses 2).</param>
/// <param name="Ablations">NoFilter keeps everything unscored; NoReflection drops rejected captions.</param>
public sealed record ReflectionOptions(double Threshold = 0.85, int ReflectionRounds = 2, GenerationAblations? Ablations = null)
{
    public GenerationAblations Switches => Ablations ?? GenerationAblations.None;
}

/// <summary>
/// Synthio's generate → filter → self-reflect loop for one label (design §2 steps 4–6): compose captions,
/// generate a clip for each, keep those the scorer accepts, rewrite each rejected caption (prompt 3, told
/// which components were already tried) and regenerate, for at most
/// <see cref="ReflectionOptions.ReflectionRounds"/> rounds. The number of attempts is bounded by
/// target × (1 + rounds), so a label that cannot reach its target ends with a warning, never a loop.
/// </summary>
/// <typeparam name="TClip">The caller's generated clip (audio plus whatever it caches with it).</typeparam>
public sealed class ReflectionLoop<TClip>
{
    private readonly ReflectionOptions _options;
    private readonly Func<string, int, int, CancellationToken, Task<IReadOnlyList<CaptionCandidate>>> _compose;
    private readonly Func<string, CaptionCandidate, int, CancellationToken, Task<TClip>> _generate;
    private readonly Func<string, TClip, CancellationToken, Task<double>> _score;
    private readonly Func<string, CaptionCandidate, SoundComponents, int, CancellationToken, Task<CaptionCandidate>> _reflect;

    /// <param name="options">Threshold, rounds and ablations.</param>
    /// <param name="compose">(label, count, seed) → MixCap captions (prompt 2); extra ones are ignored, too few are reused with new seeds.</param>
    /// <param name="generate">(label, caption, seed) → clip (design §2 step 4).</param>
    /// <param name="score">(label, clip) → label-consistency score in [0, 1].</param>
    /// <param name="reflect">(label, rejected caption, components already tried, seed) → rewritten caption (prompt 3).</param>
    public ReflectionLoop(
        ReflectionOptions options,
        Func<string, int, int, CancellationToken, Task<IReadOnlyList<CaptionCandidate>>> compose,
        Func<string, CaptionCandidate, int, CancellationToken, Task<TClip>> generate,
        Func<string, TClip, CancellationToken, Task<double>> score,
        Func<string, CaptionCandidate, SoundComponents, int, CancellationToken, Task<CaptionCandidate>> reflect)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.ReflectionRounds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ReflectionRounds, "reflection rounds must be >= 0");
        }

        _compose = compose ?? throw new ArgumentNullException(nameof(compose));
        _generate = generate ?? throw new ArgumentNullException(nameof(generate));
        _score = score ?? throw new ArgumentNullException(nameof(score));
        _reflect = reflect ?? throw new ArgumentNullException(nameof(reflect));
    }

    /// <summary>Runs the loop for one label until <paramref name="target"/> clips are accepted or the rounds run out.</summary>
    public async Task<ReflectionOutcome<TClip>> RunAsync(string label, int goldCount, int target, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        var attempts = new List<ReflectionAttempt<TClip>>();
        int generated = 0, rejected = 0, revised = 0, accepted = 0;
        if (target == 0)
        {
            return new ReflectionOutcome<TClip>(Stats(new LabelGenerationStats(label, goldCount, 0, 0, 0, 0, 0)), attempts);
        }

        var composed = await _compose(label, target, seed, cancellationToken).ConfigureAwait(false);
        if (composed.Count == 0)
        {
            return new ReflectionOutcome<TClip>(Stats(new LabelGenerationStats(label, goldCount, target, 0, 0, 0, 0)), attempts);
        }

        // Fewer captions than clips wanted: reuse them; each use gets its own seed, so its own clip.
        var pending = Enumerable.Range(0, target).Select(i => composed[i % composed.Count]).ToList();
        var tried = new ComponentSet();
        foreach (var candidate in pending)
        {
            tried.Add(candidate.Components);
        }

        var switches = _options.Switches;
        var rounds = switches.NoFilter || switches.NoReflection ? 0 : _options.ReflectionRounds;
        for (var round = 0; round <= rounds && pending.Count > 0 && accepted < target; round++)
        {
            var rejectedThisRound = new List<CaptionCandidate>();
            for (var i = 0; i < pending.Count && accepted < target; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var candidate = pending[i];
                var attemptSeed = unchecked((seed * 7919) + (round * 104729) + i);
                var clip = await _generate(label, candidate, attemptSeed, cancellationToken).ConfigureAwait(false);
                generated++;
                double? score = null;
                var keep = true;
                if (!switches.NoFilter)
                {
                    score = await _score(label, clip, cancellationToken).ConfigureAwait(false);
                    keep = score >= _options.Threshold;
                }

                attempts.Add(new ReflectionAttempt<TClip>(candidate, clip, score, keep, round, attemptSeed));
                if (keep)
                {
                    accepted++;
                }
                else
                {
                    rejected++;
                    rejectedThisRound.Add(candidate);
                }
            }

            if (round == rounds || accepted >= target)
            {
                break;
            }

            // Self-reflection: rewrite only as many rejected captions as are still needed.
            var next = new List<CaptionCandidate>();
            foreach (var candidate in rejectedThisRound.Take(target - accepted))
            {
                var rewriteSeed = unchecked((seed * 31) + (round * 1009) + next.Count);
                var rewritten = await _reflect(label, candidate, tried.ToComponents(), rewriteSeed, cancellationToken).ConfigureAwait(false);
                revised++;
                tried.Add(rewritten.Components);
                next.Add(rewritten);
            }

            pending = next;
        }

        return new ReflectionOutcome<TClip>(Stats(new LabelGenerationStats(label, goldCount, target, generated, accepted, rejected, revised)), attempts);
    }

    private LabelGenerationStats Stats(LabelGenerationStats counts) =>
        counts with { Threshold = _options.Switches.NoFilter ? null : _options.Threshold };

    /// <summary>The events and scenes tried so far, in first-seen order.</summary>
    private sealed class ComponentSet
    {
        private readonly List<string> _events = new();
        private readonly List<string> _scenes = new();
        private readonly HashSet<string> _seenEvents = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _seenScenes = new(StringComparer.OrdinalIgnoreCase);

        public void Add(SoundComponents components)
        {
            foreach (var e in components.Events)
            {
                if (_seenEvents.Add(e))
                {
                    _events.Add(e);
                }
            }

            foreach (var s in components.Scenes)
            {
                if (_seenScenes.Add(s))
                {
                    _scenes.Add(s);
                }
            }
        }

        public SoundComponents ToComponents() => new(_events.ToArray(), _scenes.ToArray());
    }
}
