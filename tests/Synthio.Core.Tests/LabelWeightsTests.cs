using Synthio.Diagnostics;
using Synthio.Training;

namespace Synthio.Core.Tests;

public class LabelWeightsTests
{
    [Fact]
    public void Labels_weigh_the_mean_gold_count_over_their_own_and_synthetic_clips_do_not_count()
    {
        var data = Examples(("dog", 24), ("rain", 6), ("bird", 3));
        data.AddRange(Enumerable.Range(0, 50).Select(i => new TrainingExample([0f], "bird", $"synthetic/{i}", [], IsSynthetic: true)));

        var weights = LabelWeights.For(data, ClassWeighting.Balanced)!;

        Assert.Equal(11.0 / 24, weights["dog"], 9);
        Assert.Equal(11.0 / 6, weights["rain"], 9);
        Assert.Equal(11.0 / 3, weights["bird"], 9);
        Assert.Contains("'bird' ×3.67 (fewest gold clips) to 'dog' ×0.46 (most)", LabelWeights.Describe(weights));
    }

    [Fact]
    public void Even_labels_or_weighting_turned_off_give_no_weights()
    {
        Assert.Null(LabelWeights.For(Examples(("dog", 5), ("rain", 5)), ClassWeighting.Balanced));
        Assert.Null(LabelWeights.For(Examples(("dog", 24), ("rain", 3)), ClassWeighting.None));
        Assert.Equal(ClassWeighting.None, LabelWeights.Parse(" None "));
        Assert.Equal(ClassWeighting.Balanced, LabelWeights.Parse("balanced"));
        Assert.Null(LabelWeights.Parse("inverse"));
    }

    [Fact]
    public void Weights_give_a_label_with_few_clips_back_the_doubtful_calls_a_crowded_label_takes()
    {
        // Two overlapping clusters: 60 training clips of one label, 6 of the other, and 100 test clips of each.
        var all = TrainingToyData.Clusters(2, 200, 4, 0, seed: 3, spread: 2.0);
        int Index(TrainingExample e) => int.Parse(e.Id.Split('/')[2], System.Globalization.CultureInfo.InvariantCulture);
        var train = all.Where(e => Index(e) < (e.Label == "label0" ? 60 : 6)).ToList();
        var test = all.Where(e => Index(e) >= 100).ToList();
        var parameters = TrainerCandidate.Find(TrainerCandidate.LbfgsName)!.Space(new TrainingDataProfile(train.Count, 4, 2, 6)).ToDictionary(p => p.Name, p => p.Initial);

        var plain = Recalls(TrainerSearch.Fit(TrainerCandidate.LbfgsName, parameters, train, 0), test);
        var weighted = Recalls(TrainerSearch.Fit(TrainerCandidate.LbfgsName, parameters, train, 0, LabelWeights.For(train, ClassWeighting.Balanced)), test);

        Assert.True(weighted["label1"] > plain["label1"] + 0.1, $"few-clip label recall: weighted {weighted["label1"]:P0}, plain {plain["label1"]:P0}");
        Assert.True(weighted.Values.Average() > plain.Values.Average(), $"mean recall: weighted {weighted.Values.Average():P0}, plain {plain.Values.Average():P0}");
    }

    [Fact]
    public void The_search_weighs_uneven_labels_and_says_so()
    {
        var data = TrainingToyData.Clusters(3, 30, 4, 0, seed: 5).Where(e => e.Label != "label2" || e.Id.EndsWith("/1", StringComparison.Ordinal) || e.Id.EndsWith("/2", StringComparison.Ordinal) || e.Id.EndsWith("/3", StringComparison.Ordinal)).ToList();
        var reporter = new CollectingReporter();
        var options = new TrainerSearchOptions { TimeBudget = TimeSpan.FromSeconds(30), MaxTrials = 2, Trainers = [TrainerCandidate.LbfgsName] };

        var weighted = TrainerSearch.Run(data, options, reporter);
        var plain = TrainerSearch.Run(data, options with { ClassWeighting = ClassWeighting.None }, new CollectingReporter());
        var even = TrainerSearch.Run(TrainingToyData.Clusters(3, 10, 4, 0, seed: 5), options, new CollectingReporter());

        Assert.Contains("'label2' ×", weighted.ClassWeights);
        Assert.Contains(reporter.Messages, m => m.Contains("labels weighted to count alike", StringComparison.Ordinal));
        Assert.Null(plain.ClassWeights);
        Assert.Null(even.ClassWeights);
    }

    private static List<TrainingExample> Examples(params (string Label, int Count)[] labels) =>
        labels.SelectMany(l => Enumerable.Range(0, l.Count).Select(i => TrainingExample.Gold([i], l.Label, $"{l.Label}/{i}"))).ToList();

    private static Dictionary<string, double> Recalls(MulticlassModel model, IReadOnlyList<TrainingExample> test)
    {
        var predicted = model.PredictMany(test.Select(t => t.Features).ToArray());
        return test.Select((t, i) => (t.Label, Right: predicted[i].Label == t.Label))
            .GroupBy(p => p.Label)
            .ToDictionary(g => g.Key, g => g.Average(p => p.Right ? 1.0 : 0.0));
    }
}
