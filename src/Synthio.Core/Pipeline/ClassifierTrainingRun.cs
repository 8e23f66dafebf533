using Synthio.Audio;
using Synthio.Caching;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Evaluation;
using Synthio.Features;
using Synthio.Training;

namespace Synthio.Pipeline;

/// <summary>Settings of <c>train</c>.</summary>
public sealed record TrainingRunOptions
{
    /// <summary>Search time for each model trained (gold-only and augmented get the same).</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(20);

    public int Seed { get; init; }

    /// <summary>Held-out share when no augmentation manifest says which clips are held out.</summary>
    public double HoldoutFraction { get; init; }

    /// <summary>Groups near-duplicate clips when there is no augmentation manifest (which records each clip's group).</summary>
    public string? GroupPattern { get; init; }

    /// <summary>Accept CSV rows that point outside the CSV's folder (when there is no augmentation manifest).</summary>
    public bool AllowOutsidePaths { get; init; }

    public FeatureSettings Features { get; init; } = FeatureSettings.Default;

    /// <summary>The classifier's features when not the embedded spectral statistics (e.g. CLAP audio embeddings).</summary>
    public IAudioEmbedder? Embedder { get; init; }

    public string? TrialLogPath { get; init; }

    /// <summary>Whether labels with fewer gold clips weigh more in training (<see cref="LabelWeights"/>).</summary>
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.Balanced;
}

/// <summary>Clip counts of one label.</summary>
public sealed record LabelClipCounts(int GoldTrain, int GoldTest, int Synthetic);

/// <summary>
/// What <c>train</c> produced: the shipped classifier, the search that found it and, when clips were held
/// out, the gold-only versus augmented comparison the report shows.
/// </summary>
public sealed record TrainingRunResult(
    IReadOnlyList<string> Labels,
    HoldoutComparisonResult? Comparison,
    TrainerSearchResult ShippedSearch,
    SynthioClassifier Shipped,
    IReadOnlyDictionary<string, LabelClipCounts> Counts,
    int TestClips);

/// <summary>
/// Trains the dataset's classifier. With an augmentation manifest, it trains gold-only and gold+synthetic
/// models under the same search budget, scores both on the held-out gold clips (which generation never saw)
/// and ships the augmented one; without, it trains on the gold clips alone. Features are cached per clip.
/// </summary>
public sealed class ClassifierTrainingRun
{
    /// <summary>"/2" since clips are read through <see cref="GoldClipReader"/>: older entries may hold features of clips it refuses.</summary>
    public const string FeatureStep = "features/2";

    private readonly StepCache _cache;
    private readonly IPipelineReporter _reporter;

    public ClassifierTrainingRun(StepCache cache, IPipelineReporter reporter)
    {
        _cache = cache;
        _reporter = reporter;
    }

    public async Task<TrainingRunResult> RunAsync(string datasetPath, string? manifestPath, TrainingRunOptions options, CancellationToken ct = default)
    {
        var embedder = options.Embedder ?? new SpectralStatisticsEmbedder(options.Features);
        var hashes = new FileHashIndex(_cache.Store);
        AugmentManifest? manifest = manifestPath is null ? null : AugmentManifest.Load(manifestPath);

        // Gold clips and their split: from the manifest when there is one, so training holds out exactly
        // the clips generation never saw; else from the dataset with the requested holdout.
        List<(string Path, string Label, bool Test, string Id, string? Group)> gold;
        if (manifest is not null)
        {
            gold = manifest.Clips.Where(c => c.Origin == ClipOrigin.Gold)
                .Select(c => (AugmentManifest.Resolve(manifestPath!, c), c.Label, c.Split == "test", c.Key, c.Group))
                .ToList();
        }
        else
        {
            var loaded = ClipGroupPattern.Apply(DatasetLoader.Load(datasetPath, _reporter, options.AllowOutsidePaths), options.GroupPattern, _reporter);
            var dataset = HoldoutSplitter.Apply(loaded, options.HoldoutFraction, options.Seed);
            gold = new List<(string, string, bool, string, string?)>();
            foreach (var clip in dataset.Clips)
            {
                gold.Add((clip.Path, clip.Label, clip.Split == ClipSplit.Test, hashes.HashOf(clip.Path), clip.Group));
            }
        }

        var synthetic = manifest?.Clips.Where(c => c.Origin != ClipOrigin.Gold).ToList() ?? new List<ManifestClip>();
        var all = gold.Select(g => (g.Path, g.Id)).Concat(synthetic.Select(s => (AugmentManifest.Resolve(manifestPath!, s), s.Blob ?? s.Key))).ToList();
        var features = await FeaturesAsync(embedder, all, ct).ConfigureAwait(false);

        var train = new List<TrainingExample>();
        var heldOut = new List<HeldOutExample>();
        foreach (var g in gold)
        {
            if (!features.TryGetValue(g.Id, out var f))
            {
                continue;
            }

            if (g.Test)
            {
                heldOut.Add(new HeldOutExample(f, g.Label, g.Id));
            }
            else
            {
                train.Add(TrainingExample.Gold(f, g.Label, g.Id, g.Group));
            }
        }

        var trainLabels = train.Select(t => t.Label).Distinct(StringComparer.Ordinal).Count();
        if (trainLabels < 2)
        {
            throw new SynthioException(DiagnosticCodes.TooFewLabels, $"training needs at least two labels with readable clips; '{datasetPath}' has {trainLabels}", datasetPath);
        }

        var goldIds = new HashSet<string>(train.Select(t => t.Id), StringComparer.Ordinal);
        var children = new List<TrainingExample>();
        foreach (var s in synthetic)
        {
            if (!features.TryGetValue(s.Blob ?? s.Key, out var f))
            {
                continue;
            }

            // A clip made from no named source stands for all of its label's training clips.
            var sources = s.Sources is { Count: > 0 } named
                ? named.Where(goldIds.Contains).ToArray()
                : train.Where(t => t.Label == s.Label).Select(t => t.Id).ToArray();
            children.Add(new TrainingExample(f, s.Label, s.Key, sources, IsSynthetic: true));
        }

        var labels = gold.Select(g => g.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var searchOptions = new TrainerSearchOptions { TimeBudget = options.TimeBudget, Seed = options.Seed, TrialLogPath = options.TrialLogPath, ClassWeighting = options.ClassWeighting };
        HoldoutComparisonResult? comparison = null;
        TrainerSearchResult shipped;
        var search = new CachedTrainerSearch(_cache, _reporter);
        if (heldOut.Count > 0)
        {
            _reporter.Info(children.Count == 0
                ? $"training on {train.Count} gold clips (no synthetic clips to compare with), {options.TimeBudget.TotalSeconds:0} s search"
                : $"training gold-only ({train.Count} clips) and gold+synthetic ({train.Count} + {children.Count} clips), {options.TimeBudget.TotalSeconds:0} s search each");
            comparison = HoldoutComparison.Run(train, children, heldOut, data => search.Run(data, searchOptions, ct));
            shipped = comparison.Augmented ?? comparison.GoldOnly;
        }
        else
        {
            if (manifest is not null)
            {
                // A group is held out whole, so a label that is one group cannot hold out anything: say so
                // rather than ask for clips the label already has.
                var oneGroup = gold.GroupBy(g => g.Label, StringComparer.Ordinal)
                    .Where(l => l.Count() >= 3 && l.First().Group is { } group && l.All(c => c.Group == group))
                    .Select(l => l.Key).Order(StringComparer.Ordinal).ToArray();
                var cause = oneGroup.Length == 0
                    ? string.Empty
                    : $"; all the clips of {(oneGroup.Length <= 3 ? string.Join(", ", oneGroup.Select(l => $"'{l}'")) : $"{oneGroup.Length} labels")} match the group pattern alike, so they are one group, which is held out whole or not at all: check GroupPattern (--group-pattern)";
                _reporter.Report(Diagnostic.Warning(DiagnosticCodes.NoHoldout, "no clips are held out, so the report cannot measure what augmentation bought; set a holdout (SynthioHoldout / --holdout) and give each label at least 3 clips" + cause));
            }

            _reporter.Info($"training on {train.Count} gold + {children.Count} synthetic clips, {options.TimeBudget.TotalSeconds:0} s search");
            shipped = search.Run(train.Concat(children).ToArray(), searchOptions, ct);
        }

        var classifier = new SynthioClassifier(shipped.Model, embedder, options.Features, shipped.BestTrainer, shipped.BestParameters);
        var counts = labels.ToDictionary(
            l => l,
            l => new LabelClipCounts(train.Count(t => t.Label == l), heldOut.Count(h => h.Label == l), children.Count(c => c.Label == l)),
            StringComparer.Ordinal);
        return new TrainingRunResult(labels, comparison, shipped, classifier, counts, heldOut.Count);
    }

    private async Task<Dictionary<string, float[]>> FeaturesAsync(IAudioEmbedder embedder, IReadOnlyList<(string Path, string Id)> clips, CancellationToken ct)
    {
        var result = new System.Collections.Concurrent.ConcurrentDictionary<string, float[]>(StringComparer.Ordinal);
        var done = 0;
        _reporter.Progress("features", 0, clips.Count);
        await Parallel.ForEachAsync(clips.DistinctBy(c => c.Id), ct, async (clip, token) =>
        {
            try
            {
                result[clip.Id] = await _cache.GetOrComputeAsync(
                    FeatureStep,
                    new { embedder = embedder.Identity, clip = clip.Id },
                    _ => Task.FromResult(embedder.Embed(GoldClipReader.Read(clip.Path))),
                    token).ConfigureAwait(false);
            }
            catch (SynthioException ex)
            {
                _reporter.Report(Diagnostic.Warning(ex.Code, $"{ex.Message}; the clip is skipped", clip.Path));
            }

            _reporter.Progress("features", Interlocked.Increment(ref done), clips.Count);
        }).ConfigureAwait(false);
        return new Dictionary<string, float[]>(result, StringComparer.Ordinal);
    }
}
