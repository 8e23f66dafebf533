using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Synthio.Caching;
using Synthio.Diagnostics;

namespace Synthio.Training;

/// <summary>
/// A <see cref="TrainerSearch"/> whose result is a cached step: the search stops at a wall-clock budget, so
/// two runs on the same data can stop at different trials and ship different models. Keyed by the training
/// examples (their features, labels, groups and sources), the search's settings and its version, the result
/// (chosen trainer, trials, and the fitted model as a blob) is reused by every later build of the same data:
/// a Release build after a Debug one, each target framework of a multi-targeted project, a clean rebuild, or
/// another machine sharing the cache ships the model that was measured, without searching again. Concurrent
/// builds of the same data wait for one search instead of running two.
/// </summary>
public sealed class CachedTrainerSearch
{
    /// <summary>Step name; the key carries <see cref="TrainerSearch.Version"/>.</summary>
    public const string Step = "trainer-search";

    private readonly StepCache _cache;
    private readonly IPipelineReporter _reporter;

    public CachedTrainerSearch(StepCache cache, IPipelineReporter reporter)
    {
        _cache = cache;
        _reporter = reporter;
    }

    /// <summary>Runs the search, or returns the result a search of the same examples and settings stored.</summary>
    public TrainerSearchResult Run(IReadOnlyList<TrainingExample> data, TrainerSearchOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (_cache.Store is null)
        {
            return TrainerSearch.Run(data, options, _reporter, ct);
        }

        var store = _cache.Store;
        var recorded = _cache.GetOrComputeAsync(
            Step,
            Describe(data, options),
            _ =>
            {
                var result = TrainerSearch.Run(data, options, _reporter, ct);
                using var bytes = new MemoryStream();
                result.Model.Save(bytes);
                return Task.FromResult(new RecordedSearch(
                    result.BestTrainer,
                    result.BestParameters,
                    result.BestScore,
                    result.FoldCount,
                    result.Trials,
                    result.SearchTime.TotalSeconds,
                    result.Selection,
                    result.ClassWeights,
                    store.Put(bytes.ToArray()),
                    result.Model.Labels,
                    result.Model.FeatureCount)
                { Fresh = result });
            },
            ct,
            isUsable: r => store.Contains(r.Model)).GetAwaiter().GetResult();

        if (recorded.Fresh is { } fresh)
        {
            return fresh;
        }

        if (!store.TryGet(recorded.Model, out var model))
        {
            // Removed (prune) or corrupt since the record was read: search again rather than fail.
            return TrainerSearch.Run(data, options, _reporter, ct);
        }

        _reporter.Info($"trainer search: reused the search of the same training data from the cache: {recorded.Trainer}, macro accuracy {recorded.Score:P1} after {recorded.Trials.Count} trials");
        TrainerSearch.AppendTrialLog(options.TrialLogPath, recorded.Trials);
        using var stream = new MemoryStream(model, writable: false);
        return new TrainerSearchResult(
            recorded.Trainer,
            recorded.Parameters,
            recorded.Score,
            recorded.FoldCount,
            recorded.Trials,
            TimeSpan.FromSeconds(recorded.SearchSeconds),
            MulticlassModel.Load(stream, recorded.Labels, recorded.FeatureCount))
        {
            Selection = recorded.Selection,
            ClassWeights = recorded.ClassWeights,
            Reused = true,
        };
    }

    /// <summary>
    /// Everything the search's outcome depends on. The examples are hashed in order (their order sets the
    /// folds), features as their exact bytes, so a changed embedder or clip is a new search.
    /// </summary>
    internal static object Describe(IReadOnlyList<TrainingExample> data, TrainerSearchOptions options) => new
    {
        version = TrainerSearch.Version,
        mlNet = TrainerSearch.MlNetRelease,
        examples = Fingerprint(data),
        count = data.Count,
        budget = options.TimeBudget.TotalSeconds,
        seed = options.Seed,
        folds = options.Folds,
        trainers = options.Trainers,
        maxTrials = options.MaxTrials,
        classWeights = options.ClassWeighting.ToString(),
    };

    private static string Fingerprint(IReadOnlyList<TrainingExample> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var e in data)
        {
            var text = new StringBuilder()
                .Append(e.Id).Append('\n')
                .Append(e.Label).Append('\n')
                .Append(e.Group ?? "\u0001").Append('\n')
                .Append(e.IsSynthetic ? '1' : '0').Append('\n')
                .AppendJoin('\u0002', e.SourceIds).Append('\n')
                .Append(e.Features.Length).Append('\n');
            hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
            hash.AppendData(MemoryMarshal.AsBytes(e.Features.AsSpan()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The stored form of a search: its outcome, and the fitted model as a blob of the store.</summary>
    private sealed record RecordedSearch(
        string Trainer,
        IReadOnlyDictionary<string, double> Parameters,
        double Score,
        int FoldCount,
        IReadOnlyList<TrialRecord> Trials,
        double SearchSeconds,
        string? Selection,
        string? ClassWeights,
        string Model,
        IReadOnlyList<string> Labels,
        int FeatureCount)
    {
        /// <summary>The search just run, when this process ran it (not stored).</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public TrainerSearchResult? Fresh { get; init; }
    }
}
