namespace Synthio.Language;

/// <summary>One MixCap request: which pooled components it was given and the captions that came back.</summary>
/// <param name="Index">Batch number within the label, from 0.</param>
/// <param name="Seed">The seed passed to the language model for this batch (derived from the run seed, label and index).</param>
/// <param name="Kept">The random share of the label's pool offered in this request.</param>
/// <param name="Captions">The captions returned (normally <see cref="MixCapComposer.CaptionsPerRequest"/>).</param>
public sealed record MixCapBatch(int Index, int Seed, SoundComponents Kept, IReadOnlyList<string> Captions);

/// <summary>
/// MixCap (design §2 step 3): pools every event and scene extracted from one label's captions, keeps a random
/// 75 % of each pool per request, and asks the language model for five new captions each time. Callers ask for
/// as many batches as they need captions; every batch draws its own subset, so batches differ.
/// </summary>
public sealed class MixCapComposer
{
    private readonly ILanguageModel _model;

    /// <param name="model">The language model that writes the captions.</param>
    /// <param name="keepFraction">Share of each pool offered per request (paper: 0.75).</param>
    /// <param name="captionsPerRequest">Captions asked for per request (paper: 5).</param>
    public MixCapComposer(ILanguageModel model, double keepFraction = 0.75, int captionsPerRequest = 5)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        if (keepFraction is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(keepFraction), keepFraction, "must be in (0, 1]");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(captionsPerRequest, 1);
        KeepFraction = keepFraction;
        CaptionsPerRequest = captionsPerRequest;
    }

    public double KeepFraction { get; }

    public int CaptionsPerRequest { get; }

    /// <summary>
    /// The union of many captions' components, each phrase once (compared case-insensitively after trimming),
    /// in first-seen order so the pool — and everything seeded from it — is stable.
    /// </summary>
    public static SoundComponents Pool(IEnumerable<SoundComponents> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var events = new List<string>();
        var scenes = new List<string>();
        var seenEvents = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seenScenes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in components)
        {
            foreach (var e in c.Events.Select(e => e.Trim()).Where(e => e.Length > 0))
            {
                if (seenEvents.Add(e))
                {
                    events.Add(e);
                }
            }

            foreach (var s in c.Scenes.Select(s => s.Trim()).Where(s => s.Length > 0))
            {
                if (seenScenes.Add(s))
                {
                    scenes.Add(s);
                }
            }
        }

        return new SoundComponents(events, scenes);
    }

    /// <summary>
    /// A random <see cref="KeepFraction"/> of each list (rounded up, at least one from a non-empty list),
    /// drawn by <paramref name="seed"/>; kept phrases stay in pool order.
    /// </summary>
    public SoundComponents Subsample(SoundComponents pool, int seed)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var random = SeededRandom.For(seed, "mixcap-subsample");
        return new SoundComponents(Keep(pool.Events, random), Keep(pool.Scenes, random));
    }

    /// <summary>The seed of batch <paramref name="index"/> of <paramref name="label"/> in a run seeded with <paramref name="runSeed"/>.</summary>
    public static int BatchSeed(int runSeed, string label, int index) =>
        (int)(SeededRandom.Mix(runSeed, "mixcap-batch", label, index) & 0x7FFFFFFF);

    /// <summary>One request: subsample the pool for this batch and ask for <see cref="CaptionsPerRequest"/> captions.</summary>
    public async Task<MixCapBatch> ComposeBatchAsync(string label, SoundComponents pool, int index, int runSeed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(label);
        var seed = BatchSeed(runSeed, label, index);
        var kept = Subsample(pool, seed);
        var captions = await _model.ComposeCaptionsAsync(label, kept, CaptionsPerRequest, seed, cancellationToken).ConfigureAwait(false);
        return new MixCapBatch(index, seed, kept, captions);
    }

    /// <summary>
    /// <paramref name="batches"/> requests for <paramref name="label"/>, issued together (the model bounds its own
    /// concurrency), returned in batch order.
    /// </summary>
    public async Task<IReadOnlyList<MixCapBatch>> ComposeAsync(string label, SoundComponents pool, int batches, int runSeed, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batches);
        var tasks = Enumerable.Range(0, batches)
            .Select(i => ComposeBatchAsync(label, pool, i, runSeed, cancellationToken))
            .ToArray();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>How many requests give at least <paramref name="captions"/> captions.</summary>
    public int BatchesFor(int captions) => captions <= 0 ? 0 : (captions + CaptionsPerRequest - 1) / CaptionsPerRequest;

    private List<string> Keep(IReadOnlyList<string> items, SeededRandom random)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var keep = Math.Max(1, (int)Math.Ceiling(KeepFraction * items.Count));
        var chosen = random.Shuffle(Enumerable.Range(0, items.Count)).Take(keep).Order();
        return chosen.Select(i => items[i]).ToList();
    }
}
