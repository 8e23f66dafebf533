using Synthio.Caching;
using Synthio.Diagnostics;
using Synthio.Features;
using Synthio.Tests;
using Synthio.Training;

namespace Synthio.Core.Tests;

public class CachedTrainerSearchTests
{
    // A wall-clock budget rather than a trial cap: two searches of it can stop at different trials, which
    // is what the cache is for.
    private static readonly TrainerSearchOptions Budgeted = new() { TimeBudget = TimeSpan.FromSeconds(1.5), Seed = 3, Folds = 3 };

    // As many features as the embedded embedder yields, so a found model can be saved as a classifier.
    private static readonly int Dimension = new SpectralStatisticsEmbedder().Dimension;

    private static List<TrainingExample> Data() => TrainingToyData.Clusters(labels: 3, perLabel: 8, dimension: Dimension, childrenPerGold: 1, seed: 4, spread: 6);

    [Fact]
    public void A_later_run_on_the_same_data_reuses_the_search_and_its_model_without_searching()
    {
        using var temp = new TempDirectory();
        var data = Data();
        var firstLog = temp.Combine("first.jsonl");
        var secondLog = temp.Combine("second.jsonl");
        TrainerSearchResult first;
        using (var cache = NewCache(temp.Path, new CollectingReporter()))
        {
            first = new CachedTrainerSearch(cache, new CollectingReporter()).Run(data, Budgeted with { TrialLogPath = firstLog });
            Assert.False(first.Reused);
            Assert.Equal(1, cache.Counters[CachedTrainerSearch.Step].Computed);
        }

        var reporter = new CollectingReporter();
        using var again = NewCache(temp.Path, reporter);
        var second = new CachedTrainerSearch(again, reporter).Run(data, Budgeted with { TrialLogPath = secondLog });

        Assert.True(second.Reused);
        Assert.Equal(1, again.Counters[CachedTrainerSearch.Step].Reused);
        Assert.DoesNotContain(reporter.Messages, m => m.StartsWith("trainer search: best", StringComparison.Ordinal));
        Assert.Contains(reporter.Messages, m => m.Contains("reused the search", StringComparison.Ordinal));
        Assert.Equal(first.BestTrainer, second.BestTrainer);
        Assert.Equal(first.BestParameters.OrderBy(p => p.Key), second.BestParameters.OrderBy(p => p.Key));
        Assert.Equal(first.BestScore, second.BestScore);
        Assert.Equal(first.Selection, second.Selection);
        Assert.Equal(first.ClassWeights, second.ClassWeights);
        Assert.Equal(first.Trials.Select(t => (t.Number, t.Trainer, t.Status, t.Score)), second.Trials.Select(t => (t.Number, t.Trainer, t.Status, t.Score)));

        // The trial log reads as it would after the search itself.
        Assert.Equal(File.ReadAllLines(firstLog), File.ReadAllLines(secondLog));

        // The very model: the same probabilities for every example, and the same bytes once saved.
        var features = data.Select(e => e.Features).ToArray();
        Assert.Equal(
            first.Model.PredictMany(features).Select(p => p.Scores.OrderBy(s => s.Key).Select(s => s.Value).ToArray()),
            second.Model.PredictMany(features).Select(p => p.Scores.OrderBy(s => s.Key).Select(s => s.Value).ToArray()));
        var firstPath = temp.Combine("first.zip");
        var secondPath = temp.Combine("second.zip");
        new SynthioClassifier(first.Model, FeatureSettings.Default, first.BestTrainer, first.BestParameters).Save(firstPath);
        new SynthioClassifier(second.Model, FeatureSettings.Default, second.BestTrainer, second.BestParameters).Save(secondPath);
        Assert.Equal(File.ReadAllBytes(firstPath), File.ReadAllBytes(secondPath));
    }

    [Fact]
    public void Other_features_labels_or_settings_are_a_new_search()
    {
        using var temp = new TempDirectory();
        var data = Data();
        var options = new TrainerSearchOptions { MaxTrials = 2, Seed = 1, Folds = 3 };
        using var cache = NewCache(temp.Path, new CollectingReporter());
        var search = new CachedTrainerSearch(cache, new CollectingReporter());
        search.Run(data, options);

        var nudged = data.Select((e, i) => i == 5 ? e with { Features = e.Features.Select(f => f + 1e-3f).ToArray() } : e).ToList();
        var relabelled = data.Select((e, i) => i == 5 ? e with { Label = data[0].Label == e.Label ? data[^1].Label : data[0].Label } : e).ToList();
        var reordered = data.AsEnumerable().Reverse().ToList();
        Assert.False(search.Run(nudged, options).Reused);
        Assert.False(search.Run(relabelled, options).Reused);
        Assert.False(search.Run(reordered, options).Reused);
        Assert.False(search.Run(data, options with { Seed = 2 }).Reused);
        Assert.False(search.Run(data, options with { MaxTrials = 3 }).Reused);
        Assert.False(search.Run(data, options with { ClassWeighting = ClassWeighting.None }).Reused);
        Assert.Equal(7, cache.Counters[CachedTrainerSearch.Step].Computed);

        // A new ML.NET release is a new search: the key names the release (its assembly version never changes).
        var mlNet = System.Text.Json.JsonSerializer.SerializeToElement(CachedTrainerSearch.Describe(data, options)).GetProperty("mlNet").GetString();
        Assert.Matches(@"^[0-9]+\.[0-9]+\.[0-9]+", mlNet);
        Assert.False(mlNet!.StartsWith("1.0.0", StringComparison.Ordinal), mlNet);

        // The trial log's path is where the trials go, not what the search finds.
        using var again = NewCache(temp.Path, new CollectingReporter());
        Assert.True(new CachedTrainerSearch(again, new CollectingReporter()).Run(data, options with { TrialLogPath = temp.Combine("t.jsonl") }).Reused);
    }

    [Fact]
    public void A_record_whose_model_blob_was_removed_is_searched_again()
    {
        using var temp = new TempDirectory();
        var data = Data();
        var options = new TrainerSearchOptions { MaxTrials = 2, Seed = 1, Folds = 3 };
        using (var cache = NewCache(temp.Path, new CollectingReporter()))
        {
            new CachedTrainerSearch(cache, new CollectingReporter()).Run(data, options);
        }

        // The search wrote one blob: its model.
        var blob = Assert.Single(Directory.GetFiles(Path.Combine(temp.Path, "objects"), "*", SearchOption.AllDirectories));
        File.Delete(blob);
        using var again = NewCache(temp.Path, new CollectingReporter());
        var result = new CachedTrainerSearch(again, new CollectingReporter()).Run(data, options);
        Assert.False(result.Reused);
        Assert.Equal(1, again.Counters[CachedTrainerSearch.Step].Computed);
        Assert.True(File.Exists(blob));
    }

    [Fact]
    public async Task Concurrent_runs_on_the_same_data_share_one_search()
    {
        using var temp = new TempDirectory();
        var data = Data();
        using var a = NewCache(temp.Path, new CollectingReporter());
        using var b = NewCache(temp.Path, new CollectingReporter());
        var results = await Task.WhenAll(
            Task.Run(() => new CachedTrainerSearch(a, new CollectingReporter()).Run(data, Budgeted)),
            Task.Run(() => new CachedTrainerSearch(b, new CollectingReporter()).Run(data, Budgeted)));

        Assert.Equal(1, a.Counters[CachedTrainerSearch.Step].Computed + b.Counters[CachedTrainerSearch.Step].Computed);
        Assert.Single(results, r => r.Reused);
        Assert.Equal(results[0].Trials.Count, results[1].Trials.Count);
        Assert.Equal(results[0].BestParameters.OrderBy(p => p.Key), results[1].BestParameters.OrderBy(p => p.Key));
    }

    [Fact]
    public void Without_a_store_every_run_searches_and_nothing_is_written()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        using var cache = new StepCache(null, reporter);
        var search = new CachedTrainerSearch(cache, reporter);
        var options = new TrainerSearchOptions { MaxTrials = 2, Seed = 1, Folds = 3 };
        Assert.False(search.Run(Data(), options).Reused);
        Assert.False(search.Run(Data(), options).Reused);
        Assert.Equal(2, reporter.Messages.Count(m => m.StartsWith("trainer search: best", StringComparison.Ordinal)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    private static StepCache NewCache(string root, IPipelineReporter reporter) => new(new ContentAddressedStore(root, reporter), reporter);
}
