using System.Text.Json;
using Synthio.Audio;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Evaluation;
using Synthio.Features;
using Synthio.Tests;

namespace Synthio.Core.Tests;

public class EvaluationTests
{
    private static readonly (string Label, double Frequency)[] Tones = { ("low", 300), ("mid", 1200), ("high", 4000) };

    /// <summary>Writes a tone dataset with ESC-style fold prefixes: 3 folds × 3 clips per label.</summary>
    private static Dataset ToneDataset(TempDirectory temp)
    {
        var clips = new List<DatasetClip>();
        foreach (var (label, frequency) in Tones)
        {
            for (var fold = 1; fold <= 3; fold++)
            {
                for (var i = 0; i < 3; i++)
                {
                    var path = TrainingToyData.WriteTone(temp.Combine("data", label, $"{fold}-{i}.wav"), frequency * (1 + (0.02 * i)), seed: (fold * 10) + i, seconds: 0.3);
                    clips.Add(new DatasetClip(path, label));
                }
            }
        }

        return new Dataset(temp.Combine("data"), clips);
    }

    /// <summary>Copies each gold clip, shifted by a few samples, recording where it came from and what it saw.</summary>
    private sealed class ShiftedCopySource : IAugmentationSource
    {
        public List<string> SeenPaths { get; } = new();

        public string Mode => "shifted";

        public Task<IReadOnlyList<AugmentedClip>> AugmentAsync(Dataset trainSubset, int seed, CancellationToken ct)
        {
            var result = new List<AugmentedClip>();
            foreach (var clip in trainSubset.Clips)
            {
                SeenPaths.Add(clip.Path);
                var audio = WavFile.ReadMono(clip.Path);
                result.Add(new AugmentedClip(clip.Label, new[] { clip.Path }, Audio: new AudioBuffer(audio.Samples.Skip(7).ToArray(), audio.SampleRate)));
            }

            return Task.FromResult<IReadOnlyList<AugmentedClip>>(result);
        }
    }

    /// <summary>
    /// Rates a label by how close the clip's zero-crossing frequency is to the label's tone: a stand-in for a
    /// pre-trained audio–text model that knows these tones without seeing any training clip.
    /// <paramref name="inverted"/> prefers the farthest label, so a runner that ignored the scores would not pass both.
    /// </summary>
    private sealed class ToneFrequencyScorer(bool inverted = false) : Synthio.Filtering.IAudioTextScorer
    {
        public List<string> Labels { get; } = new();

        public string Identity => $"tone-frequency inverted={inverted}";

        public Task<double> ScoreAsync(AudioBuffer audio, string label, CancellationToken cancellationToken = default)
        {
            Labels.Add(label);
            var crossings = 0;
            for (var i = 1; i < audio.Samples.Length; i++)
            {
                crossings += (audio.Samples[i - 1] < 0) != (audio.Samples[i] < 0) ? 1 : 0;
            }

            var frequency = crossings / 2.0 / audio.DurationSeconds;
            var distance = Math.Abs(Math.Log(frequency / Tones.Single(t => t.Label == label).Frequency));
            return Task.FromResult(inverted ? distance : -distance);
        }
    }

    [Fact]
    public async Task Zero_shot_row_labels_the_held_out_clips_by_the_scorer_alone_once_for_every_size_and_seed()
    {
        using var temp = new TempDirectory();
        var dataset = ToneDataset(temp);
        var scorer = new ToneFrequencyScorer();
        var run = await EvaluationRunner.RunAsync(
            dataset,
            new EvaluationOptions { Split = "esc-fold:1", Sizes = new int?[] { 2, null }, Seeds = new[] { 0, 1 }, MaxTrials = 1, TimeBudget = TimeSpan.FromMinutes(1), Parallelism = 1, ZeroShotScorer = scorer },
            new IAugmentationSource[] { new GoldOnlySource() },
            new CollectingReporter());

        var zeroShot = run.Results.Where(r => r.Mode == EvaluationRunner.ZeroShotMode).ToArray();
        Assert.Equal(4, zeroShot.Length);
        Assert.All(zeroShot, r => Assert.Equal(1.0, r.Accuracy));
        Assert.All(zeroShot, r => Assert.Equal((0, 0, 9), (r.GoldClips, r.SyntheticClips, r.TestClips)));
        Assert.All(zeroShot, r => Assert.Null(r.CvScore));
        Assert.Contains(EvaluationRunner.ZeroShotMode, run.Settings.Modes);
        // Scored once per held-out clip and label, not once per size and seed.
        Assert.Equal(9 * Tones.Length, scorer.Labels.Count);

        var inverted = await EvaluationRunner.RunAsync(
            dataset,
            new EvaluationOptions { Split = "esc-fold:1", Sizes = new int?[] { 2 }, Seeds = new[] { 0 }, MaxTrials = 1, Parallelism = 1, ZeroShotScorer = new ToneFrequencyScorer(inverted: true) },
            new IAugmentationSource[] { new GoldOnlySource() },
            new CollectingReporter());
        Assert.Equal(0.0, inverted.Results.Single(r => r.Mode == EvaluationRunner.ZeroShotMode).Accuracy);
    }

    [Fact]
    public async Task Runner_scores_every_mode_size_and_seed_on_the_held_out_fold_only()
    {
        using var temp = new TempDirectory();
        var dataset = ToneDataset(temp);
        var shifted = new ShiftedCopySource();
        var reporter = new CollectingReporter();
        var run = await EvaluationRunner.RunAsync(
            dataset,
            new EvaluationOptions { Split = "esc-fold:1", Sizes = new int?[] { 2, null }, Seeds = new[] { 0, 1 }, MaxTrials = 3, TimeBudget = TimeSpan.FromMinutes(1), Parallelism = 1 },
            new IAugmentationSource[] { new GoldOnlySource(), shifted },
            reporter);

        Assert.Equal(8, run.Results.Count);
        Assert.All(run.Results, r => Assert.Equal(9, r.TestClips));
        Assert.All(run.Results, r => Assert.InRange(r.Accuracy, 0, 1));
        Assert.Equal(new[] { 6, 18 }, run.Results.Where(r => r.Mode == "gold").Select(r => r.GoldClips).Distinct().Order());
        Assert.All(run.Results.Where(r => r.Mode == "gold"), r => Assert.Equal(0, r.SyntheticClips));
        Assert.All(run.Results.Where(r => r.Mode == "shifted"), r => Assert.Equal(r.GoldClips, r.SyntheticClips));
        // Clear tones: the held-out fold is classified far above chance (1/3) by every mode. Not perfectly:
        // three trials on 6–18 clips may settle on trees that split on a feature that only separates the training clips.
        Assert.All(run.Results, r => Assert.True(r.Accuracy >= 0.66, $"{r.Mode} n={r.NText} seed {r.Seed}: {r.Accuracy:P0}"));
        // The augmentation source only ever saw training folds.
        Assert.All(shifted.SeenPaths, p => Assert.DoesNotMatch("^1-", Path.GetFileName(p)));
        Assert.Equal(new[] { 9 }, run.Settings.TestClipsPerRotation);
    }

    [Fact]
    public async Task Silent_clips_are_left_out_of_every_mode_with_a_warning_as_augment_and_train_leave_them_out()
    {
        using var temp = new TempDirectory();
        var tones = ToneDataset(temp);
        var silentTest = temp.Combine("data", "low", "1-9.wav");
        var silentTrain = temp.Combine("data", "mid", "2-9.wav");
        foreach (var path in new[] { silentTest, silentTrain })
        {
            WavFile.WriteMono(path, new AudioBuffer(new float[4800], 16000));
        }

        var dataset = tones.WithClips(tones.Clips.Append(new DatasetClip(silentTest, "low")).Append(new DatasetClip(silentTrain, "mid")));
        var shifted = new ShiftedCopySource();
        var reporter = new CollectingReporter();
        var run = await EvaluationRunner.RunAsync(
            dataset,
            new EvaluationOptions { Split = "esc-fold:1", Sizes = new int?[] { null }, Seeds = new[] { 0 }, MaxTrials = 1, Parallelism = 1 },
            new IAugmentationSource[] { new GoldOnlySource(), shifted },
            reporter);

        Assert.Equal(
            new[] { silentTest, silentTrain }.Order(StringComparer.Ordinal),
            reporter.Diagnostics.Where(d => d.Code == DiagnosticCodes.SilentAudio).Select(d => d.File).Order(StringComparer.Ordinal));
        Assert.All(run.Results, r => Assert.Equal((18, 9), (r.GoldClips, r.TestClips)));
        Assert.DoesNotContain(silentTrain, shifted.SeenPaths);
    }

    [Fact]
    public async Task Results_file_has_the_documented_shape()
    {
        using var temp = new TempDirectory();
        var dataset = ToneDataset(temp);
        var run = await EvaluationRunner.RunAsync(
            dataset,
            new EvaluationOptions { Split = "esc-fold:2", Sizes = new int?[] { 1 }, Seeds = new[] { 5 }, MaxTrials = 2, Parallelism = 1 },
            new IAugmentationSource[] { new GoldOnlySource() },
            new CollectingReporter());
        var path = temp.Combine("out", "results.json");
        EvaluationResultsFile.Write(path, run);

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = Assert.Single(doc.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("gold", result.GetProperty("mode").GetString());
        Assert.Equal(1, result.GetProperty("n").GetInt32());
        Assert.Equal(5, result.GetProperty("seed").GetInt32());
        Assert.Equal(run.Results[0].Accuracy, result.GetProperty("accuracy").GetDouble());
        Assert.Equal(run.Results[0].MacroF1, result.GetProperty("macro_f1").GetDouble());
        // Every label has 3 held-out clips, so the labels' accuracies average to the overall one.
        var perLabel = result.GetProperty("label_accuracy").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Equal(Tones.Select(t => t.Label).Order(StringComparer.Ordinal), perLabel.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(run.Results[0].Accuracy, perLabel.Values.Average(), 12);
        Assert.Equal(run, EvaluationResultsFile.Read(path), new RunComparer());
    }

    /// <summary>
    /// Stands in for <c>auto</c>: copies like <see cref="ShiftedCopySource"/> and reports a policy search whose
    /// figures differ per call, so a runner that mixed up rotations or dropped the search would show it.
    /// </summary>
    private sealed class RecordedSearchSource : IAugmentationSource
    {
        private readonly ShiftedCopySource _copies = new();
        private int _calls;

        public string Mode => "auto";

        public string? LastPolicy { get; private set; }

        public Synthio.Policy.PolicyDecision? LastPolicySearch { get; private set; }

        public async Task<IReadOnlyList<AugmentedClip>> AugmentAsync(Dataset trainSubset, int seed, CancellationToken ct)
        {
            _calls++;
            LastPolicy = "classic×1";
            LastPolicySearch = new Synthio.Policy.PolicyDecision
            {
                Chosen = "classic×1",
                Best = "classic×1",
                Reason = "test",
                Method = "test",
                Candidates = new[]
                {
                    new Synthio.Policy.PolicyCandidateScore { Policy = "gold-only", Evaluated = true, Score = 0.5, Accuracy = 0.5 },
                    new Synthio.Policy.PolicyCandidateScore { Policy = "classic×1", Evaluated = true, Score = 0.5 + (_calls / 100.0), Accuracy = 0.6 },
                    new Synthio.Policy.PolicyCandidateScore { Policy = "synthio×1", Evaluated = false, Note = "not scored: the policy budget ran out" },
                },
                FoldSets = Array.Empty<Synthio.Policy.PolicyFoldRecord>(),
            };
            return await _copies.AugmentAsync(trainSubset, seed, ct);
        }
    }

    [Fact]
    public async Task Each_rotation_keeps_its_accuracy_and_the_policy_search_behind_it_in_rotation_order()
    {
        using var temp = new TempDirectory();
        var dataset = ToneDataset(temp);
        var run = await EvaluationRunner.RunAsync(
            dataset,
            new EvaluationOptions { Split = "esc-fold:all", Sizes = new int?[] { 2 }, Seeds = new[] { 0 }, MaxTrials = 1, Parallelism = 1 },
            new IAugmentationSource[] { new GoldOnlySource(), new RecordedSearchSource() },
            new CollectingReporter());

        Assert.Equal(new[] { 9, 9, 9 }, run.Settings.TestClipsPerRotation);
        foreach (var result in run.Results)
        {
            Assert.Equal(3, result.RotationAccuracy!.Count);
            // Every rotation tests 9 clips, so the rotations' accuracies average to the pooled one.
            Assert.Equal(result.Accuracy, result.RotationAccuracy.Average(), 12);
            Assert.All(result.RotationAccuracy, a => Assert.Equal(0, (a * 9) % 1, 9));
        }

        Assert.Null(run.Results.Single(r => r.Mode == "gold").PolicySearches);
        var searches = run.Results.Single(r => r.Mode == "auto").PolicySearches!;
        // One per rotation, in rotation order; only scored candidates, with their own figures.
        Assert.Equal(new[] { 0.51, 0.52, 0.53 }, searches.Select(s => s["classic×1"].Score));
        Assert.All(searches, s => Assert.Equal(new[] { "classic×1", "gold-only" }, s.Keys.Order(StringComparer.Ordinal)));
        Assert.All(searches, s => Assert.Equal(new CandidateFigures(0.5, 0.5), s["gold-only"]));

        var path = temp.Combine("out", "results.json");
        EvaluationResultsFile.Write(path, run);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var auto = doc.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("mode").GetString() == "auto");
        Assert.Equal(3, auto.GetProperty("rotation_accuracy").GetArrayLength());
        Assert.Equal(0.6, auto.GetProperty("policy_searches")[2].GetProperty("classic×1").GetProperty("accuracy").GetDouble());
        Assert.Equal(run, EvaluationResultsFile.Read(path), new RunComparer());
    }

    [Fact]
    public void Feature_cache_computes_a_clip_once_even_under_another_name()
    {
        using var temp = new TempDirectory();
        var a = TrainingToyData.WriteTone(temp.Combine("a.wav"), 440, seed: 1);
        var b = temp.Combine("b.wav");
        File.Copy(a, b);
        var cache = new FeatureCache(new SpectralStatisticsEmbedder());
        var first = cache.ForFile(a);
        Assert.Same(first, cache.ForFile(a));
        Assert.Same(first, cache.ForFile(b));
        Assert.Equal(1, cache.Computed);
    }

    [Fact]
    public void Metrics_count_macro_f1_over_every_label()
    {
        var metrics = ClassificationMetrics.Compute(new[] { "a", "a", "b", "b" }, new[] { "a", "a", "a", "b" }, new[] { "a", "b", "c" });
        Assert.Equal(0.75, metrics.Accuracy);
        // a: precision 2/3, recall 1 → F1 0.8; b: precision 1, recall 0.5 → F1 2/3; c never occurs.
        Assert.Equal((0.8 + (2.0 / 3)) / 2, metrics.MacroF1, 10);
        Assert.Equal(new[] { 2, 0, 0 }, metrics.Confusion[0]);
        Assert.Equal(new[] { 1, 1, 0 }, metrics.Confusion[1]);
    }

    [Fact]
    public void Mean_recall_counts_every_label_alike_where_accuracy_follows_the_larger_label()
    {
        // Six clips of a, all right; two of b, none right: accuracy 75 %, mean recall 50 %.
        var uneven = ClassificationMetrics.Compute(["a", "a", "a", "a", "a", "a", "b", "b"], ["a", "a", "a", "a", "a", "a", "a", "a"], ["a", "b", "c"]);
        var even = ClassificationMetrics.Compute(["a", "a", "b", "b"], ["a", "a", "a", "b"]);

        Assert.Equal(0.75, uneven.Accuracy);
        Assert.Equal(0.5, uneven.MeanRecall, 10);
        Assert.True(uneven.IsUneven);
        Assert.Equal(0.75, even.MeanRecall, 10);
        Assert.False(even.IsUneven);
    }

    [Fact]
    public void Sizes_parse_numbers_and_all()
    {
        Assert.Equal(new int?[] { 2, 5, 10 }, EvaluationOptions.ParseSizes("2,5,10"));
        Assert.Equal(new int?[] { null }, EvaluationOptions.ParseSizes("all"));
        Assert.Equal(DiagnosticCodes.BadOption, Assert.Throws<SynthioException>(() => EvaluationOptions.ParseSizes("2,x")).Code);
    }

    private sealed class RunComparer : IEqualityComparer<EvaluationRun>
    {
        public bool Equals(EvaluationRun? x, EvaluationRun? y) =>
            x is not null && y is not null
            // As written: records compare their dictionaries and lists by reference.
            && x.Results.Select(r => JsonSerializer.Serialize(r)).SequenceEqual(y.Results.Select(r => JsonSerializer.Serialize(r)))
            && x.Settings.Split == y.Settings.Split
            && x.Settings.Sizes.SequenceEqual(y.Settings.Sizes)
            && x.Settings.Labels.SequenceEqual(y.Settings.Labels);

        public int GetHashCode(EvaluationRun obj) => obj.Results.Count;
    }
}
