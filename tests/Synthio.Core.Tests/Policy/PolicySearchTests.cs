using Synthio.Caching;
using Synthio.Captioning;
using Synthio.Core.Tests.Pipeline;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Language;
using Synthio.Pipeline;
using Synthio.Policy;
using Synthio.Tests;
using Xunit.Abstractions;

namespace Synthio.Core.Tests.Policy;

/// <summary>The automatic augmentation policy (<c>Multiplier="auto"</c>) on real ESC-10 clips, through the whole pipeline.</summary>
public class PolicySearchTests
{
    private static readonly string[] Labels = { "dog", "rooster", "sea_waves" };

    private readonly ITestOutputHelper _output;

    public PolicySearchTests(ITestOutputHelper output) => _output = output;

    /// <summary>The first <paramref name="perLabel"/> clips (by name) of three ESC-10 labels, read where they lie.</summary>
    private static Dataset Esc10(int perLabel) => new(
        TestPaths.Esc10,
        Labels.SelectMany(label => Directory.GetFiles(Path.Combine(TestPaths.Esc10, label), "*.wav")
            .Order(StringComparer.Ordinal)
            .Take(perLabel)
            .Select(path => new DatasetClip(path, label))));

    private static AugmentationPipeline Pipeline(StepCache cache, IPipelineReporter reporter) => new(
        new AugmentationBackends(new DescriptorCaptioner(), new CachedLanguageModel(new OfflineComposer(), cache), new EmbeddedGeneratorProvider(), new EmbeddedScorerProvider()),
        cache,
        reporter);

    private static AugmentOptions Auto(double budgetSeconds, IReadOnlyList<AugmentationPolicy>? candidates = null, int seed = 0) => new()
    {
        AutoPolicy = true,
        Seed = seed,
        HoldoutFraction = 0.2,
        ReflectionRounds = 1,
        PolicySearch = new PolicySearchOptions
        {
            Budget = TimeSpan.FromSeconds(budgetSeconds),
            Candidates = candidates ?? AugmentationPolicy.DefaultCandidates,
        },
    };

    private static readonly AugmentationPolicy[] SmallCandidates =
    {
        AugmentationPolicy.GoldOnly,
        new(AugmentationSource.Classic, 1),
        new(AugmentationSource.Synthio, 1),
        new(AugmentationSource.Both, 2),
    };

    [Fact]
    public async Task EachFoldGeneratesFromItsOwnTrainingClipsOnly()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        using var cache = new StepCache(new ContentAddressedStore(temp.Combine("cache"), reporter), reporter);
        var output = temp.Combine("out");
        var result = await Pipeline(cache, reporter).RunAsync(HoldoutSplitter.Apply(Esc10(6), 0.2, 0), output, Auto(600, SmallCandidates));

        var manifest = AugmentManifest.Load(result.ManifestPath);
        var decision = manifest.PolicySearch ?? throw new Xunit.Sdk.XunitException("the manifest has no policy section");
        var trainKeys = manifest.Clips.Where(c => c.Origin == ClipOrigin.Gold && c.Split == "train").Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var testKeys = manifest.Clips.Where(c => c.Origin == ClipOrigin.Gold && c.Split == "test").Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(testKeys);
        Assert.True(decision.Folds >= 2);
        Assert.Equal(decision.Folds, decision.FoldSets.Count);
        Assert.All(decision.Candidates, c => Assert.True(c.Evaluated, $"{c.Policy}: {c.Note}"));

        var validatedOnce = decision.FoldSets.SelectMany(f => f.Validation).ToList();
        Assert.Equal(trainKeys.Order(StringComparer.Ordinal), validatedOnce.Order(StringComparer.Ordinal));
        foreach (var fold in decision.FoldSets)
        {
            Assert.Empty(fold.Train.Intersect(fold.Validation, StringComparer.Ordinal));
            Assert.Empty(fold.Train.Intersect(testKeys, StringComparer.Ordinal));
            Assert.Equal(trainKeys.Order(StringComparer.Ordinal), fold.Train.Concat(fold.Validation).Order(StringComparer.Ordinal));

            // The fold's own manifest says what its generation read and what each clip was made from.
            var foldManifest = AugmentManifest.Load(Path.Combine(output, fold.Manifest!));
            var foldGold = foldManifest.Clips.Where(c => c.Origin == ClipOrigin.Gold).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(fold.Train.Order(StringComparer.Ordinal), foldGold.Order(StringComparer.Ordinal));
            var synthetic = foldManifest.Clips.Where(c => c.Origin == ClipOrigin.Synthetic).ToArray();
            Assert.NotEmpty(synthetic);
            foreach (var clip in synthetic)
            {
                Assert.NotEmpty(clip.Sources!);
                Assert.All(clip.Sources!, source => Assert.Contains(source, fold.Train));
                Assert.Empty(clip.Sources!.Intersect(fold.Validation, StringComparer.Ordinal));
            }
        }

        // The run used what it chose: the manifest's augmented clips match the chosen policy's counts.
        var chosen = decision.ChosenPolicy;
        Assert.Equal(chosen.Name, manifest.Policy);
        Assert.Equal(chosen.ClassicCopies * trainKeys.Count, manifest.Clips.Count(c => c.Origin == ClipOrigin.Classic));
        Assert.True(manifest.Clips.Count(c => c.Origin == ClipOrigin.Synthetic) <= chosen.SynthioCopies * trainKeys.Count);
        Assert.All(manifest.Clips.Where(c => c.Origin != ClipOrigin.Gold), c => Assert.Empty(c.Sources!.Intersect(testKeys, StringComparer.Ordinal)));
        foreach (var row in decision.Candidates)
        {
            _output.WriteLine($"{row.Policy}: score {row.Score:P1}, accuracy {row.Accuracy:P1} ({row.DifferenceFromBest:+0.000;-0.000} ± {row.StandardError:0.000})");
        }

        _output.WriteLine($"chosen {decision.Chosen}: {decision.Reason}");
    }

    [Fact]
    public async Task TakesOfOneRecordingStayTogetherInTheHoldoutAndInEveryFold()
    {
        // ESC-10 names takes cut from one Freesound recording <fold>-<recording>-<take>.wav; the first eight
        // clips of these labels hold two to five recordings each.
        string[] labels = { "chainsaw", "crying_baby", "helicopter" };
        var dataset = new Dataset(
            TestPaths.Esc10,
            labels.SelectMany(label => Directory.GetFiles(Path.Combine(TestPaths.Esc10, label), "*.wav")
                .Order(StringComparer.Ordinal)
                .Take(8)
                .Select(path => new DatasetClip(path, label))));
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        using var cache = new StepCache(null, reporter);
        var grouped = ClipGroupPattern.Parse(@"^\d+-(\d+)-")!.Apply(dataset, reporter);
        var candidates = new[] { AugmentationPolicy.GoldOnly, new AugmentationPolicy(AugmentationSource.Classic, 1) };
        var result = await Pipeline(cache, reporter).RunAsync(HoldoutSplitter.Apply(grouped, 0.2, 0), temp.Combine("out"), Auto(600, candidates));

        var gold = result.Manifest.Clips.Where(c => c.Origin == ClipOrigin.Gold).ToArray();
        Assert.All(gold, c => Assert.Equal(Path.GetFileName(c.Path).Split('-')[1], c.Group));
        Assert.Contains(gold, c => c.Split == "test");
        foreach (var group in gold.GroupBy(c => (c.Label, c.Group)))
        {
            Assert.Single(group.Select(c => c.Split).Distinct());
        }

        var decision = result.Manifest.PolicySearch!;
        Assert.Contains("one group in one fold", decision.Method, StringComparison.Ordinal);
        var foldOf = decision.FoldSets.SelectMany((f, i) => f.Validation.Select(key => (key, i))).ToDictionary(p => p.key, p => p.i);
        var train = gold.Where(c => c.Split == "train").ToArray();
        var multiGroupLabels = 0;
        foreach (var label in train.GroupBy(c => c.Label).Where(l => l.Select(c => c.Group).Distinct().Count() >= 2))
        {
            multiGroupLabels++;
            foreach (var group in label.GroupBy(c => c.Group))
            {
                Assert.Single(group.Select(c => foldOf[c.Key]).Distinct());
            }
        }

        Assert.True(multiGroupLabels >= 2, $"only {multiGroupLabels} labels keep two recordings for training");
        Assert.Contains(reporter.Messages, m => m.Contains("24 of 24 clips in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameChoiceAndScores()
    {
        var decisions = new List<PolicyDecision>();
        for (var run = 0; run < 2; run++)
        {
            // No store: the second run recomputes everything rather than reading the first run's answer.
            using var temp = new TempDirectory();
            var reporter = new CollectingReporter();
            using var cache = new StepCache(null, reporter);
            var result = await Pipeline(cache, reporter).RunAsync(HoldoutSplitter.Apply(Esc10(5), 0.2, 3), temp.Combine("out"), Auto(600, SmallCandidates, seed: 3));
            decisions.Add(result.Manifest.PolicySearch!);
        }

        Assert.Equal(decisions[0].Chosen, decisions[1].Chosen);
        Assert.Equal(decisions[0].FoldSets.Select(f => string.Join(",", f.Validation)), decisions[1].FoldSets.Select(f => string.Join(",", f.Validation)));
        Assert.Equal(decisions[0].Candidates.Select(c => c.Accuracy), decisions[1].Candidates.Select(c => c.Accuracy));
    }

    [Fact]
    public async Task TheBudgetIsRespectedAndWhatItCutIsNamed()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        using var cache = new StepCache(null, reporter);
        const double budget = 3;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await Pipeline(cache, reporter).RunAsync(HoldoutSplitter.Apply(Esc10(16), 0.2, 0), temp.Combine("out"), Auto(budget));
        var decision = result.Manifest.PolicySearch!;
        _output.WriteLine($"search {decision.ElapsedSeconds} s of {budget} s; whole run {clock.Elapsed.TotalSeconds:0.0} s");

        // Every candidate would need minutes here. One unit of work may start just inside the budget; it must not run on for long after it.
        Assert.True(decision.ElapsedSeconds <= budget + 2.5, $"the search took {decision.ElapsedSeconds} s on a {budget} s budget");
        var cut = decision.Candidates.Where(c => !c.Evaluated).ToArray();
        Assert.NotEmpty(cut);
        Assert.All(cut, c => Assert.Contains("budget", c.Note!, StringComparison.Ordinal));
        Assert.Contains(decision.Candidates, c => c.Evaluated && c.Policy == AugmentationPolicy.GoldOnly.Name);
        var warning = Assert.Single(reporter.Diagnostics, d => d.Code == DiagnosticCodes.PolicyBudgetExhausted);
        Assert.All(cut, c => Assert.Contains(c.Policy, warning.Message, StringComparison.Ordinal));
        Assert.Contains(decision.Chosen, decision.Candidates.Where(c => c.Evaluated).Select(c => c.Policy));
    }

    /// <summary>A generator that takes a while per fold and keeps one clip: a filter that rejects nearly everything.</summary>
    private sealed class SlowRejectingGenerator(TimeSpan perFold) : IFoldGenerator
    {
        public List<(int Fold, int Copies)> Calls { get; } = new();

        public async Task<FoldGeneration> GenerateAsync(PolicyFold fold, int copies, CancellationToken ct)
        {
            lock (Calls)
            {
                Calls.Add((fold.Index, copies));
            }

            await Task.Delay(perFold, ct);
            var source = fold.Train[0];
            var audio = Synthio.Core.Tests.AudioTestSignals.Sine(source.Label == "low" ? 300 : 2000, 16000, 0.5);
            return new FoldGeneration(new[] { new FoldSyntheticClip(source.Label, $"{fold.Index}/{copies}", new[] { source.Id }, audio) }, null);
        }
    }

    [Fact]
    public async Task GenerationTimeIsPricedPerRequestedClipNotPerKeptClip()
    {
        // 2 labels × 100 clips, 5 folds: 160 training clips per fold, 0.3 s per fold however many clips are kept.
        var clips = Enumerable.Range(0, 200)
            .Select(i => new TrainingClip($"clip{i:000}", i % 2 == 0 ? "low" : "high", $"clip{i:000}.wav", Synthio.Core.Tests.AudioTestSignals.Sine((i % 2 == 0 ? 300 : 2000) + (i * 3), 16000, 0.5)))
            .ToArray();
        var generator = new SlowRejectingGenerator(TimeSpan.FromSeconds(0.3));
        var reporter = new CollectingReporter();
        var search = new PolicySearch(new Synthio.Features.SpectralStatisticsEmbedder(), new Synthio.Augmentation.ClassicAugmenter(), generator, reporter);
        var decision = await search.RunAsync(clips, new PolicySearchOptions
        {
            Budget = TimeSpan.FromSeconds(30),
            Parallelism = 1,
            Candidates = new[] { AugmentationPolicy.GoldOnly, new AugmentationPolicy(AugmentationSource.Synthio, 1) },
        });

        // Priced per kept clip, the first fold's 0.3 s would look like 160 × 0.3 s for the next and stop the search there.
        Assert.Equal(decision.Folds, generator.Calls.Count(c => c.Copies == 1));
        Assert.All(decision.Candidates, c => Assert.True(c.Evaluated, $"{c.Policy}: {c.Note}"));
    }

    [Fact]
    public async Task TheSearchScoresWithTheClassifiersFeaturesAndItsDecisionIsKeyedByThem()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        using var cache = new StepCache(new ContentAddressedStore(temp.Combine("cache"), reporter), reporter);
        var candidates = new[] { AugmentationPolicy.GoldOnly, new AugmentationPolicy(AugmentationSource.Classic, 1) };
        var dataset = Esc10(4);
        async Task<AugmentManifest> RunAsync(ClassifierEmbedderTests.RenamedEmbedder embedder) =>
            (await Pipeline(cache, reporter).RunAsync(dataset, temp.Combine("out"), Auto(600, candidates) with { HoldoutFraction = 0, ClassifierEmbedder = embedder })).Manifest;

        var first = new ClassifierEmbedderTests.RenamedEmbedder("test-embedder/1");
        await RunAsync(first);
        Assert.True(first.Calls >= 12 * 2, $"the search embedded {first.Calls} clips with the classifier's features (12 gold clips and their classic copies)");

        // The same features: the decision is reused. Other features: it is made again, with them.
        var same = new ClassifierEmbedderTests.RenamedEmbedder("test-embedder/1");
        var reused = await RunAsync(same);
        Assert.Equal(0, same.Calls);
        Assert.NotNull(reused.PolicySearch);
        var other = new ClassifierEmbedderTests.RenamedEmbedder("test-embedder/2");
        await RunAsync(other);
        Assert.True(other.Calls >= 12 * 2, $"{other.Calls} clips embedded for other features");
    }

    [Fact]
    public async Task TooFewClipsPerLabelFallsBackToGoldOnlyWithAWarning()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        using var cache = new StepCache(null, reporter);
        var result = await Pipeline(cache, reporter).RunAsync(Esc10(1), temp.Combine("out"), Auto(60) with { HoldoutFraction = 0 });
        Assert.Equal(AugmentationPolicy.GoldOnly.Name, result.Manifest.Policy);
        var warning = Assert.Single(reporter.Diagnostics, d => d.Code == DiagnosticCodes.PolicyTooFewClips);
        Assert.Contains($"'{Labels[0]}', ", warning.Message, StringComparison.Ordinal);
        Assert.Contains("have a single training clip", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Manifest.Clips, c => c.Origin != ClipOrigin.Gold);
    }

    [Fact]
    public async Task OneLabelFallsBackToGoldOnlyAndTheWarningSaysSo()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        using var cache = new StepCache(null, reporter);
        var oneLabel = new Dataset(TestPaths.Esc10, Esc10(3).Clips.Where(c => c.Label == Labels[0]).ToArray());
        var result = await Pipeline(cache, reporter).RunAsync(oneLabel, temp.Combine("out"), Auto(60) with { HoldoutFraction = 0 });
        Assert.Equal(AugmentationPolicy.GoldOnly.Name, result.Manifest.Policy);
        var warning = Assert.Single(reporter.Diagnostics, d => d.Code == DiagnosticCodes.PolicyTooFewClips);
        Assert.Contains($"the training clips have 1 label ('{Labels[0]}')", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("single training clip", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gold-only", AugmentationSource.None, 0)]
    [InlineData("classic×4", AugmentationSource.Classic, 4)]
    [InlineData("classic:4", AugmentationSource.Classic, 4)]
    [InlineData("Synthio x2", AugmentationSource.Synthio, 2)]
    [InlineData("both*8", AugmentationSource.Both, 8)]
    [InlineData("synthio:0", AugmentationSource.None, 0)]
    public void PolicyNamesParse(string text, AugmentationSource source, int multiplier)
    {
        var policy = AugmentationPolicy.Parse(text);
        Assert.Equal(multiplier == 0 ? AugmentationPolicy.GoldOnly : new AugmentationPolicy(source, multiplier), policy);
        Assert.Equal(policy, AugmentationPolicy.Parse(policy.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("classic:-1")]
    [InlineData("none:3")]
    public void NonsenseIsNotAPolicy(string text) =>
        Assert.Equal(DiagnosticCodes.BadOption, Assert.Throws<SynthioException>(() => AugmentationPolicy.Parse(text)).Code);

    [Fact]
    public void BothSplitsItsCopiesAndCandidatesRunCheapestFirst()
    {
        var both = new AugmentationPolicy(AugmentationSource.Both, 4);
        Assert.Equal((2, 2), (both.SynthioCopies, both.ClassicCopies));
        Assert.Equal(AugmentationPolicy.GoldOnly, AugmentationPolicy.DefaultCandidates[0]);
        Assert.Equal(12, AugmentationPolicy.DefaultCandidates.Count);
        Assert.Equal(AugmentationPolicy.DefaultCandidates.OrderBy(c => c.CostRank), AugmentationPolicy.DefaultCandidates);
    }

    [Fact]
    public void TheOneStandardErrorRuleRunsAlongTheBestSourcesMultipliers()
    {
        var best = AugmentationPolicy.Parse("both×8");
        var differences = new Dictionary<AugmentationPolicy, (double Difference, double Error)>
        {
            [AugmentationPolicy.GoldOnly] = (-0.08, 0.02),
            [AugmentationPolicy.Parse("classic×1")] = (-0.01, 0.02),
            [AugmentationPolicy.Parse("synthio×2")] = (-0.005, 0.02),
            [AugmentationPolicy.Parse("both×2")] = (-0.05, 0.02),
            [AugmentationPolicy.Parse("both×4")] = (-0.015, 0.02),
            [best] = (0, 0),
        };

        // Cheaper candidates of other sources within one error do not count; the best source's smaller multiplier does.
        Assert.Equal("both×4", PolicySearch.ChooseWithinOneStandardError(best, differences).Name);

        differences[AugmentationPolicy.Parse("both×4")] = (-0.03, 0.02);
        Assert.Equal("both×8", PolicySearch.ChooseWithinOneStandardError(best, differences).Name);

        // Gold-only is the smallest multiplier of every source.
        differences[AugmentationPolicy.GoldOnly] = (-0.01, 0.02);
        Assert.Equal("gold-only", PolicySearch.ChooseWithinOneStandardError(best, differences).Name);
    }

    [Fact]
    public void PairedStandardErrorComesFromPerClipDifferences()
    {
        // Candidate right on 8 of 10, best right on 9: they differ on one clip only.
        var candidate = new double[] { 1, 1, 1, 1, 1, 1, 1, 1, 0, 0 };
        var best = new double[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 };
        var (mean, error) = PolicySearch.PairedDifference(candidate, best);
        Assert.Equal(-0.1, mean, 12);
        Assert.Equal(Math.Sqrt((0.81 + (9 * 0.01)) / 9 / 10), error, 12);
    }
}
