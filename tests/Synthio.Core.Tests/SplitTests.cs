using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Evaluation;
using Synthio.Tests;

namespace Synthio.Core.Tests;

public class SplitTests
{
    private static Dataset Load(string path) => DatasetLoader.Load(path, new CollectingReporter());

    [Fact]
    public void Esc_fold_one_tests_fold_one_and_trains_on_the_other_folds()
    {
        var dataset = Load(TestPaths.Esc10);
        var rotation = Assert.Single(EvaluationSplit.Parse("esc-fold:1").Rotations(dataset));
        Assert.Equal(80, rotation.Test.Count);
        Assert.Equal(320, rotation.TrainPool.Count);
        Assert.All(rotation.Test, c => Assert.StartsWith("1-", c.FileName));
        Assert.All(rotation.TrainPool, c => Assert.NotEqual('1', c.FileName[0]));
        Assert.All(rotation.Test.GroupBy(c => c.Label), g => Assert.Equal(8, g.Count()));
    }

    [Fact]
    public void Esc_fold_all_tests_every_clip_exactly_once()
    {
        var dataset = Load(TestPaths.Esc10);
        var rotations = EvaluationSplit.Parse("esc-fold:all").Rotations(dataset);
        Assert.Equal(5, rotations.Count);
        Assert.Equal(400, rotations.SelectMany(r => r.Test).Select(c => c.Path).Distinct().Count());
        foreach (var r in rotations)
        {
            Assert.Empty(r.Test.Select(c => c.Path).Intersect(r.TrainPool.Select(c => c.Path)));
            Assert.Equal(400, r.Test.Count + r.TrainPool.Count);
        }
    }

    [Fact]
    public void Esc_fold_range_rotates_within_its_folds_and_never_reads_the_others()
    {
        var dataset = Load(TestPaths.Esc10);
        var rotations = EvaluationSplit.Parse("esc-fold:2-5").Rotations(dataset);
        Assert.Equal(new[] { "fold 2 of 2-5", "fold 3 of 2-5", "fold 4 of 2-5", "fold 5 of 2-5" }, rotations.Select(r => r.Name));
        foreach (var r in rotations)
        {
            Assert.Equal(80, r.Test.Count);
            Assert.Equal(240, r.TrainPool.Count);
            Assert.Single(r.Test.Select(EvaluationSplit.EscFoldOf).Distinct());
            Assert.Empty(r.Test.Select(c => c.Path).Intersect(r.TrainPool.Select(c => c.Path)));
            Assert.DoesNotContain(r.Test.Concat(r.TrainPool), c => c.FileName.StartsWith("1-", StringComparison.Ordinal));
        }

        Assert.Equal(320, rotations.SelectMany(r => r.Test).Select(c => c.Path).Distinct().Count());
    }

    [Fact]
    public void A_fold_range_the_dataset_does_not_fill_is_a_bad_split()
    {
        var clips = new[] { "1-a.wav", "2-b.wav", "3-c.wav" }.SelectMany(f => new[] { "x", "y" }.Select(l => new DatasetClip($"/data/{l}/{f}", l))).ToArray();
        var dataset = new Dataset("/data", clips);
        Assert.Equal(2, EvaluationSplit.Parse("esc-fold:2-3").Rotations(dataset).Count);
        var error = Assert.Throws<SynthioException>(() => EvaluationSplit.Parse("esc-fold:2-4").Rotations(dataset));
        Assert.Equal(DiagnosticCodes.BadSplit, error.Code);
        Assert.Contains("fold 4 of 2-4", error.Message);
    }

    [Fact]
    public void Fsdd_tests_index_zero_to_four_and_draws_training_from_five_to_forty_nine()
    {
        var dataset = Load(TestPaths.Fsdd);
        var rotation = Assert.Single(EvaluationSplit.Parse("fsdd").Rotations(dataset));
        Assert.Equal(300, rotation.Test.Count);
        Assert.All(rotation.Test, c => Assert.InRange(EvaluationSplit.FsddIndexOf(c), 0, 4));
        Assert.All(rotation.TrainPool, c => Assert.InRange(EvaluationSplit.FsddIndexOf(c), 5, 49));
        Assert.Equal(2700, rotation.TrainPool.Count);
    }

    [Fact]
    public void Draw_takes_n_per_label_from_the_pool_only_and_is_seeded_and_nested()
    {
        var dataset = Load(TestPaths.Esc10);
        var rotation = EvaluationSplit.Parse("esc-fold:1").Rotations(dataset)[0];
        var five = TrainingSetDraw.Draw(rotation.TrainPool, 5, seed: 3);
        Assert.Equal(50, five.Count);
        Assert.All(five.GroupBy(c => c.Label), g => Assert.Equal(5, g.Count()));
        Assert.All(five, c => Assert.Contains(c, rotation.TrainPool));
        Assert.Equal(five, TrainingSetDraw.Draw(rotation.TrainPool, 5, seed: 3));
        Assert.NotEqual(five, TrainingSetDraw.Draw(rotation.TrainPool, 5, seed: 4));
        var two = TrainingSetDraw.Draw(rotation.TrainPool, 2, seed: 3);
        Assert.All(two, c => Assert.Contains(c, five));
        Assert.Equal(320, TrainingSetDraw.Draw(rotation.TrainPool, null, seed: 0).Count);
    }

    [Fact]
    public void Stratified_holds_out_a_share_of_every_label_regardless_of_order()
    {
        var clips = Enumerable.Range(0, 3).SelectMany(l => Enumerable.Range(0, 10).Select(i => new DatasetClip($"/data/l{l}/{i:00}.wav", $"l{l}"))).ToArray();
        var rotation = EvaluationSplit.Parse("stratified:0.2").Rotations(new Dataset("/data", clips))[0];
        Assert.All(rotation.Test.GroupBy(c => c.Label), g => Assert.Equal(2, g.Count()));
        Assert.Equal(6, rotation.Test.Count);
        var reversed = EvaluationSplit.Parse("stratified:0.2").Rotations(new Dataset("/data", clips.Reverse()))[0];
        Assert.Equal(rotation.Test.Select(c => c.Path).Order(), reversed.Test.Select(c => c.Path).Order());
    }

    [Fact]
    public void Stratified_keeps_every_recordings_takes_on_one_side_and_singletons_split_as_before()
    {
        var plain = Load(TestPaths.Esc10);
        var grouped = ClipGroupPattern.Apply(plain, @"^\d+-(\d+)-", new CollectingReporter());
        var rotation = EvaluationSplit.Parse("stratified:0.2").Rotations(grouped)[0];

        // Takes of one recording never straddle the split, and each label still tests close to its share.
        var testGroups = rotation.Test.Select(c => (c.Label, c.Group)).ToHashSet();
        Assert.DoesNotContain(rotation.TrainPool, c => testGroups.Contains((c.Label, c.Group)));
        Assert.Contains(grouped.Clips, c => grouped.Clips.Count(o => o.Label == c.Label && o.Group == c.Group) > 1);
        Assert.All(rotation.Test.GroupBy(c => c.Label), g => Assert.InRange(g.Count(), 4, 8));
        Assert.Equal(400, rotation.Test.Count + rotation.TrainPool.Count);

        // A group per clip is no grouping at all: the split is exactly the ungrouped one.
        var singletons = plain.WithClips(plain.Clips.Select(c => c with { Group = c.FileName }).ToArray());
        var expected = EvaluationSplit.Parse("stratified:0.2").Rotations(plain)[0];
        var actual = EvaluationSplit.Parse("stratified:0.2").Rotations(singletons)[0];
        Assert.Equal(expected.Test.Select(c => c.Path).Order(), actual.Test.Select(c => c.Path).Order());
        Assert.NotEqual(expected.Test.Select(c => c.Path).Order(), rotation.Test.Select(c => c.Path).Order());
    }

    [Theory]
    [InlineData("esc-fold:0")]
    [InlineData("stratified:1.5")]
    [InlineData("holdout")]
    [InlineData("fsdd:3")]
    [InlineData("esc-fold:5-2")]
    [InlineData("esc-fold:3-3")]
    [InlineData("esc-fold:0-4")]
    [InlineData("esc-fold:2-")]
    [InlineData("esc-fold:1-2-3")]
    public void Unknown_splits_are_refused(string spec)
    {
        var ex = Assert.Throws<SynthioException>(() => EvaluationSplit.Parse(spec));
        Assert.Equal(DiagnosticCodes.BadSplit, ex.Code);
    }
}
