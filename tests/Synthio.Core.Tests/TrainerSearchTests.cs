using System.Diagnostics;
using System.Text.Json;
using Synthio.Diagnostics;
using Synthio.Tests;
using Synthio.Training;

namespace Synthio.Core.Tests;

public class TrainerSearchTests
{
    [Fact]
    public void Search_stops_within_its_time_budget_plus_one_trial()
    {
        var data = TrainingToyData.Clusters(labels: 4, perLabel: 12, dimension: 16, childrenPerGold: 1, seed: 3);
        // The budget is set from a measured trial so the test means the same on an idle and a busy machine.
        var single = TrainerSearch.Run(data, new TrainerSearchOptions { MaxTrials = 1, Seed = 1, Folds = 3 }, new CollectingReporter());
        var budget = TimeSpan.FromSeconds(Math.Max(2, 4 * single.Trials[0].Seconds));
        var result = TrainerSearch.Run(data, new TrainerSearchOptions { TimeBudget = budget, Seed = 1, Folds = 3 }, new CollectingReporter());

        Assert.True(result.Trials.Count >= 2, $"only {result.Trials.Count} trials ran in {budget.TotalSeconds:0.0} s");
        var longestTrial = TimeSpan.FromSeconds(result.Trials.Max(t => t.Seconds));
        Assert.True(result.SearchTime <= (budget * 1.1) + longestTrial, $"search took {result.SearchTime.TotalSeconds:0.00} s, budget {budget.TotalSeconds:0.0} s, longest trial {longestTrial.TotalSeconds:0.00} s");
        Assert.True(result.SearchTime >= budget * 0.9, $"the search stopped after {result.SearchTime.TotalSeconds:0.00} s of {budget.TotalSeconds:0.0} s");
    }

    [Fact]
    public void A_slow_trial_is_stopped_midway_when_the_budget_ends()
    {
        Assert.True(MlNetCancellation.IsSupported, "ML.NET's cancellation hook was not found");
        // Ten labels and 200 features: a one-versus-all forest fits ten forests per fold, many times a linear trial.
        var data = TrainingToyData.Clusters(labels: 10, perLabel: 20, dimension: 200, childrenPerGold: 0, seed: 6);
        var options = new TrainerSearchOptions { Folds = 5, Trainers = new[] { TrainerCandidate.SdcaName, TrainerCandidate.FastForestName } };
        var linear = TrainerSearch.Run(data, options with { MaxTrials = 1 }, new CollectingReporter()).Trials[0].Seconds;
        // Room for the linear trial even when it runs slower than it was measured (a busy machine), but far
        // less than the forest needs.
        var budget = TimeSpan.FromSeconds((3 * linear) + 0.5);
        var result = TrainerSearch.Run(data, options with { TimeBudget = budget }, new CollectingReporter());

        var cut = Assert.Single(result.Trials, t => t.Status == TrialRecord.CutByBudget);
        Assert.Equal(TrainerCandidate.FastForestName, cut.Trainer);
        Assert.True(cut.FoldScores.Count < 5, "the forest trial ran all its folds");
        Assert.Equal(TrainerCandidate.SdcaName, result.BestTrainer);
        var overrun = result.SearchTime - budget;
        Assert.True(overrun < TimeSpan.FromSeconds(Math.Max(3, linear)), $"search took {result.SearchTime.TotalSeconds:0.00} s for a {budget.TotalSeconds:0.0} s budget");
    }

    [Fact]
    public void Same_seed_picks_the_same_trainer_and_parameters()
    {
        var data = TrainingToyData.Clusters(labels: 3, perLabel: 8, dimension: 8, childrenPerGold: 1, seed: 5, spread: 1.5);
        var options = new TrainerSearchOptions { TimeBudget = TimeSpan.FromMinutes(5), MaxTrials = 9, Seed = 42, Folds = 4 };
        var first = TrainerSearch.Run(data, options, new CollectingReporter());
        var second = TrainerSearch.Run(data, options, new CollectingReporter());

        Assert.Equal(first.BestTrainer, second.BestTrainer);
        Assert.Equal(first.BestParameters.OrderBy(p => p.Key), second.BestParameters.OrderBy(p => p.Key));
        Assert.Equal(first.BestScore, second.BestScore);
        Assert.Equal(first.Trials.Select(t => (t.Trainer, t.Score)), second.Trials.Select(t => (t.Trainer, t.Score)));
        // More than one trainer is explored within 12 trials: the choice between trainers is really made.
        Assert.True(first.Trials.Select(t => t.Trainer).Distinct().Count() >= 3);
    }

    [Fact]
    public void Every_trial_is_logged_as_a_json_line()
    {
        using var temp = new TempDirectory();
        var log = temp.Combine("trials.jsonl");
        var data = TrainingToyData.Clusters(labels: 3, perLabel: 6, dimension: 6, childrenPerGold: 0, seed: 9);
        var result = TrainerSearch.Run(data, new TrainerSearchOptions { MaxTrials = 7, Seed = 2, Folds = 3, TrialLogPath = log }, new CollectingReporter());

        var lines = File.ReadAllLines(log);
        Assert.Equal(result.Trials.Count, lines.Length);
        Assert.Equal(7, lines.Length);
        foreach (var (line, trial) in lines.Zip(result.Trials))
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(trial.Number, doc.RootElement.GetProperty("trial").GetInt32());
            Assert.Equal(trial.Trainer, doc.RootElement.GetProperty("trainer").GetString());
            Assert.Equal(trial.Status, doc.RootElement.GetProperty("status").GetString());
        }

        // The top score, or the best linear trial's when the top one was within a standard error of it.
        var scored = result.Trials.Where(t => t.Score is not null).ToArray();
        var expected = result.Selection is null
            ? scored.Max(t => t.Score!.Value)
            : scored.Where(t => TrainerCandidate.Find(t.Trainer)!.IsLinear).Max(t => t.Score!.Value);
        Assert.Equal(expected, result.BestScore);
    }

    [Fact]
    public void Separable_data_reaches_high_cross_validated_accuracy()
    {
        var data = TrainingToyData.Clusters(labels: 4, perLabel: 10, dimension: 8, childrenPerGold: 0, seed: 11, spread: 0.2);
        var result = TrainerSearch.Run(data, new TrainerSearchOptions { MaxTrials = 6, Seed = 0 }, new CollectingReporter());
        Assert.True(result.BestScore >= 0.95, $"best macro accuracy {result.BestScore:P1}");
        var predicted = result.Model.PredictMany(data.Select(e => e.Features).ToArray());
        Assert.True(predicted.Zip(data).Count(p => p.First.Label == p.Second.Label) >= data.Count * 0.95);
    }

    [Fact]
    public void LightGbm_starts_with_leaves_small_enough_for_two_clips_per_label()
    {
        // Two gold clips per label: each cross-validation fold trains on one per label.
        var data = TrainingToyData.Clusters(labels: 5, perLabel: 2, dimension: 8, childrenPerGold: 0, seed: 13, spread: 0.2);
        var result = TrainerSearch.Run(data, new TrainerSearchOptions { MaxTrials = 1, Trainers = new[] { TrainerCandidate.LightGbmName } }, new CollectingReporter());
        var first = Assert.Single(result.Trials);
        Assert.Equal(TrialRecord.Completed, first.Status);
        Assert.True(first.Parameters["MinimumExampleCountPerLeaf"] <= 2);
        Assert.Equal(2, result.FoldCount);
    }

    [Fact]
    public void Unknown_trainer_name_is_a_usage_error()
    {
        var data = TrainingToyData.Clusters(labels: 2, perLabel: 4, dimension: 4, childrenPerGold: 0, seed: 1);
        var ex = Assert.Throws<SynthioException>(() => TrainerSearch.Run(data, new TrainerSearchOptions { Trainers = new[] { "NoSuchTrainer" } }, new CollectingReporter()));
        Assert.Equal(DiagnosticCodes.BadOption, ex.Code);
    }
}

public class TrainerSearchFailureTests
{
    /// <summary>A trainer whose every fit throws, as a misconfigured native trainer would.</summary>
    private sealed class BrokenCandidate : TrainerCandidate
    {
        public override string Name => "Broken";

        public override IReadOnlyList<HyperParameter> Space(TrainingDataProfile profile) =>
            new[] { new HyperParameter("X", 1, 100, 1, LogScale: true, IsInteger: false) };

        public override Microsoft.ML.IEstimator<Microsoft.ML.ITransformer> Build(Microsoft.ML.MLContext context, IReadOnlyDictionary<string, double> parameters, int seed, string? weightColumn = null) =>
            throw new InvalidOperationException("native library missing");

        // Cheapest of all, so the search keeps being tempted by it.
        public override double EstimateCost(IReadOnlyDictionary<string, double> parameters, TrainingDataProfile profile) => 0.001;
    }

    [Fact]
    public void Failed_trials_are_logged_and_skipped()
    {
        var data = TrainingToyData.Clusters(labels: 3, perLabel: 6, dimension: 6, childrenPerGold: 0, seed: 4, spread: 0.3);
        var reporter = new CollectingReporter();
        var candidates = new TrainerCandidate[] { new BrokenCandidate(), TrainerCandidate.Find(TrainerCandidate.LbfgsName)! };
        var result = TrainerSearch.Run(data, new TrainerSearchOptions { MaxTrials = 6, Folds = 3 }, candidates, reporter, CancellationToken.None);

        Assert.Equal(TrainerCandidate.LbfgsName, result.BestTrainer);
        var failed = result.Trials.Where(t => t.Trainer == "Broken").ToArray();
        Assert.NotEmpty(failed);
        Assert.All(failed, t => Assert.Equal(TrialRecord.Failed, t.Status));
        Assert.All(failed, t => Assert.Contains("native library missing", t.Error));
        Assert.Contains(result.Trials, t => t.Status == TrialRecord.Completed);
        // One warning for the broken trainer, not one per trial.
        Assert.Single(reporter.Diagnostics, d => d.Code == DiagnosticCodes.TrainerFailed);
        Assert.Equal(data[0].Label, result.Model.Predict(data[0].Features).Label);
    }

    [Fact]
    public void Search_fails_with_a_code_when_every_trainer_fails()
    {
        var data = TrainingToyData.Clusters(labels: 2, perLabel: 4, dimension: 4, childrenPerGold: 0, seed: 4);
        var ex = Assert.Throws<SynthioException>(() => TrainerSearch.Run(data, new TrainerSearchOptions { MaxTrials = 3 }, new TrainerCandidate[] { new BrokenCandidate() }, new CollectingReporter(), CancellationToken.None));
        Assert.Equal(DiagnosticCodes.TrainerFailed, ex.Code);
    }
}

public class TrainerSelectionTests
{
    private static readonly TrainerCandidate Tree = TrainerCandidate.Find(TrainerCandidate.FastTreeName)!;
    private static readonly TrainerCandidate Linear = TrainerCandidate.Find(TrainerCandidate.LbfgsName)!;
    private static readonly IReadOnlyDictionary<string, double> NoParameters = new Dictionary<string, double>();

    /// <summary>40 clips; both right on <paramref name="both"/>, only the tree on <paramref name="treeOnly"/>, only the linear model on <paramref name="linearOnly"/>.</summary>
    private static (bool[] Tree, bool[] Linear) Outcomes(int both, int treeOnly, int linearOnly)
    {
        var tree = new bool[40];
        var linear = new bool[40];
        for (var i = 0; i < 40; i++)
        {
            tree[i] = i < both + treeOnly;
            linear[i] = i < both || (i >= both + treeOnly && i < both + treeOnly + linearOnly);
        }

        return (tree, linear);
    }

    private static double Score(bool[] correct) => correct.Count(c => c) / 40.0;

    private static readonly double[] EqualWeights = Enumerable.Repeat(1 / 40.0, 40).ToArray();

    private static (TrainerCandidate Candidate, IReadOnlyDictionary<string, double> Parameters, double Score, string? Selection) ChooseBetween(bool[] tree, bool[] linear) =>
        TrainerSearch.Choose(new[] { (Linear, NoParameters, Score(linear), (IReadOnlyList<bool>)linear), (Tree, NoParameters, Score(tree), tree) }, EqualWeights);

    [Fact]
    public void A_tree_within_one_standard_error_of_the_best_linear_trial_loses_to_it()
    {
        var (tree, linear) = Outcomes(both: 26, treeOnly: 4, linearOnly: 2);
        var chosen = ChooseBetween(tree, linear);

        Assert.Equal(TrainerCandidate.LbfgsName, chosen.Candidate.Name);
        Assert.Equal(0.70, chosen.Score, 10);
        // Differences: +1 on 4 clips, −1 on 2, mean 0.05; SE = sqrt(Σ w²(d − 0.05)² · 40/39) ≈ 0.0615.
        Assert.InRange(TrainerSearch.PairedStandardError(tree, linear, EqualWeights), 0.0614, 0.0616);
        Assert.Contains("within one standard error (6.1 points)", chosen.Selection);
    }

    [Fact]
    public void A_tree_clearly_better_than_every_linear_trial_is_chosen()
    {
        var (tree, linear) = Outcomes(both: 20, treeOnly: 10, linearOnly: 0);
        var chosen = ChooseBetween(tree, linear);

        Assert.Equal(TrainerCandidate.FastTreeName, chosen.Candidate.Name);
        Assert.Null(chosen.Selection);
    }

    [Fact]
    public void Data_only_a_non_linear_model_separates_keeps_the_forest()
    {
        // Label = sign(x·y) on four clusters: no linear boundary does better than chance.
        var random = new Random(11);
        var data = new List<TrainingExample>();
        for (var i = 0; i < 320; i++)
        {
            var x = (i % 2 == 0 ? 1 : -1) + (0.2 * (random.NextDouble() - 0.5));
            var y = ((i / 2) % 2 == 0 ? 1 : -1) + (0.2 * (random.NextDouble() - 0.5));
            data.Add(TrainingExample.Gold(new[] { (float)x, (float)y }, x * y > 0 ? "same" : "opposite", $"clip{i}"));
        }

        var reporter = new CollectingReporter();
        var result = TrainerSearch.Run(
            data,
            new TrainerSearchOptions { MaxTrials = 4, Folds = 4, Trainers = new[] { TrainerCandidate.LbfgsName, TrainerCandidate.FastForestName } },
            reporter);

        Assert.Equal(TrainerCandidate.FastForestName, result.BestTrainer);
        Assert.Null(result.Selection);
        Assert.True(result.BestScore > 0.9, $"forest scored {result.BestScore:P0}");
    }
}
