using Synthio.Training;

namespace Synthio.Core.Tests;

public class TrainingFoldTests
{
    [Fact]
    public void Synthetic_children_never_validate_and_never_train_against_their_parents()
    {
        var data = TrainingToyData.Clusters(labels: 3, perLabel: 7, dimension: 2, childrenPerGold: 3, seed: 1);
        // Children mixed from two parents (as MixCap-style generation makes them) must respect both.
        var gold = data.Where(e => !e.IsSynthetic).ToArray();
        for (var i = 0; i + 1 < gold.Length; i += 2)
        {
            data.Add(new TrainingExample(new float[2], gold[i].Label, $"mix/{i}", new[] { gold[i].Id, gold[i + 1].Id }, true));
        }

        var folds = CrossValidationFolds.Assign(data, requestedFolds: 5, seed: 4);
        Assert.Equal(5, folds.FoldCount);
        for (var f = 0; f < folds.FoldCount; f++)
        {
            var validation = folds.ValidationIndices(f).Select(i => data[i]).ToArray();
            var validatedIds = validation.Select(e => e.Id).ToHashSet();
            Assert.All(validation, e => Assert.False(e.IsSynthetic));
            Assert.All(validation, e => Assert.Equal(f, folds.FoldOf(e.Id)));

            foreach (var trained in folds.TrainIndices(f).Select(i => data[i]))
            {
                Assert.DoesNotContain(trained.Id, validatedIds);
                Assert.All(trained.SourceIds, source => Assert.DoesNotContain(source, validatedIds));
            }

            // A child whose parents are all in training is used, not dropped.
            var expectedSynthetic = data.Count(e => e.IsSynthetic && e.SourceIds.All(s => folds.FoldOf(s) != f));
            Assert.Equal(expectedSynthetic, folds.TrainIndices(f).Count(i => data[i].IsSynthetic));
        }

        // Every gold example validates exactly once.
        var allValidated = Enumerable.Range(0, folds.FoldCount).SelectMany(f => folds.ValidationIndices(f)).ToArray();
        Assert.Equal(gold.Length, allValidated.Length);
        Assert.Equal(gold.Length, allValidated.Distinct().Count());
    }

    [Fact]
    public void Folds_are_stratified_and_seeded()
    {
        var data = TrainingToyData.Clusters(labels: 4, perLabel: 10, dimension: 2, childrenPerGold: 0, seed: 2);
        var a = CrossValidationFolds.Assign(data, 5, seed: 7);
        var b = CrossValidationFolds.Assign(data, 5, seed: 7);
        var c = CrossValidationFolds.Assign(data, 5, seed: 8);
        Assert.Equal(data.Select(e => a.FoldOf(e.Id)), data.Select(e => b.FoldOf(e.Id)));
        Assert.NotEqual(data.Select(e => a.FoldOf(e.Id)), data.Select(e => c.FoldOf(e.Id)));
        for (var f = 0; f < 5; f++)
        {
            // 10 per label over 5 folds: exactly 2 of each label validate in each fold.
            Assert.All(a.ValidationIndices(f).GroupBy(i => data[i].Label), g => Assert.Equal(2, g.Count()));
        }
    }

    [Fact]
    public void Fold_count_drops_to_the_smallest_label()
    {
        var data = TrainingToyData.Clusters(labels: 3, perLabel: 2, dimension: 2, childrenPerGold: 2, seed: 3);
        Assert.Equal(2, CrossValidationFolds.Assign(data, 5, 0).FoldCount);
    }

    [Fact]
    public void Examples_of_one_label_and_group_share_a_fold_and_every_group_validates_once()
    {
        var data = TrainingToyData.Clusters(labels: 3, perLabel: 12, dimension: 2, childrenPerGold: 0, seed: 5)
            .Select((e, i) => e with { Group = $"take-{i / 3}" })
            .ToList();

        var folds = CrossValidationFolds.Assign(data, 5, seed: 2);
        Assert.Equal(5, folds.FoldCount);
        foreach (var group in data.GroupBy(e => (e.Label, e.Group)))
        {
            Assert.Single(group.Select(e => folds.FoldOf(e.Id)).Distinct());
        }

        // Four groups of three per label over five folds: four folds validate one group of each label.
        for (var f = 0; f < folds.FoldCount; f++)
        {
            Assert.All(folds.ValidationIndices(f).GroupBy(i => data[i].Label), g => Assert.Equal(3, g.Count()));
        }
    }

    [Fact]
    public void Groups_of_one_example_give_the_plain_stratified_folds()
    {
        var plain = TrainingToyData.Clusters(labels: 4, perLabel: 9, dimension: 2, childrenPerGold: 1, seed: 6);
        var singletons = plain.Select(e => e.IsSynthetic ? e : e with { Group = "own-" + e.Id }).ToList();

        var a = CrossValidationFolds.Assign(plain, 5, seed: 3);
        var b = CrossValidationFolds.Assign(singletons, 5, seed: 3);
        Assert.Equal(plain.Select(e => a.FoldOf(e.Id)), singletons.Select(e => b.FoldOf(e.Id)));
    }

    [Fact]
    public void A_label_that_is_one_group_is_still_split_so_it_can_be_validated()
    {
        var data = TrainingToyData.Clusters(labels: 2, perLabel: 6, dimension: 2, childrenPerGold: 0, seed: 7)
            .Select(e => e with { Group = e.Label == "label0" ? "one-speaker" : e.Id })
            .ToList();
        Assert.Contains(data, e => e.Label == "label0");

        var folds = CrossValidationFolds.Assign(data, 3, seed: 1);
        var foldsOfLabel0 = data.Where(e => e.Label == "label0").Select(e => folds.FoldOf(e.Id)).Distinct().Count();
        Assert.Equal(3, foldsOfLabel0);
    }
}
