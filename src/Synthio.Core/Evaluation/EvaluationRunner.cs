using System.Globalization;
using Synthio.Audio;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Features;
using Synthio.Filtering;
using Synthio.Policy;
using Synthio.Training;

namespace Synthio.Evaluation;

/// <summary>Settings of an evaluation run (the <c>evaluate</c> command's options).</summary>
public sealed record EvaluationOptions
{
    /// <summary>The held-out split (see <see cref="EvaluationSplit"/>).</summary>
    public string Split { get; init; } = "stratified:0.2";

    /// <summary>The group pattern the dataset's clips were grouped with (recorded with the results), if any.</summary>
    public string? GroupPattern { get; init; }

    /// <summary>The synthetic clips' filter threshold (<c>auto</c> or a number), recorded with the results.</summary>
    public string? Threshold { get; init; }

    /// <summary>Clips per label to draw; null means every training clip.</summary>
    public IReadOnlyList<int?> Sizes { get; init; } = new int?[] { 2, 5, 10 };

    /// <summary>Seeds run for each size and mode (the draw, the augmentation and the search use it).</summary>
    public IReadOnlyList<int> Seeds { get; init; } = new[] { 0, 1, 2 };

    /// <summary>Search time for each training (the same for every mode, so modes compare fairly).</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(30);

    public int Folds { get; init; } = 5;

    /// <summary>Trainers the search may use; null means all.</summary>
    public IReadOnlyList<string>? Trainers { get; init; }

    /// <summary>Optional cap on search trials per training (exactly repeatable runs).</summary>
    public int? MaxTrials { get; init; }

    /// <summary>Features for training; null means <see cref="SpectralStatisticsEmbedder"/> with default settings.</summary>
    public IAudioEmbedder? Embedder { get; init; }

    /// <summary>
    /// When set, a <see cref="ZeroShotMode"/> row: each held-out clip gets the label this scorer rates highest
    /// (a pre-trained audio–text model such as CLAP), with no training at all, the baseline augmentation must beat.
    /// </summary>
    public IAudioTextScorer? ZeroShotScorer { get; init; }

    /// <summary>Threads for feature extraction.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>When set, each search's trials are appended here as JSON lines.</summary>
    public string? TrialLogPath { get; init; }

    /// <summary>Parses <c>2,5,10</c>, <c>all</c> or a mix such as <c>2,5,all</c>.</summary>
    public static IReadOnlyList<int?> ParseSizes(string text)
    {
        var sizes = new List<int?>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                sizes.Add(null);
            }
            else if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                sizes.Add(n);
            }
            else
            {
                throw new SynthioException(DiagnosticCodes.BadOption, $"--n: '{part}' is not a positive number of clips per label or 'all'");
            }
        }

        if (sizes.Count == 0)
        {
            throw new SynthioException(DiagnosticCodes.BadOption, "--n needs at least one size (e.g. 2,5,10 or all)");
        }

        return sizes.Distinct().ToArray();
    }
}

/// <summary>
/// Measures what augmentation buys: for every rotation of the split, size n, seed and mode, draws n
/// clips per label from the training pool, asks the mode's <see cref="IAugmentationSource"/> for extra
/// clips made from that subset only, runs the same trainer search with the same budget, and scores the
/// held-out clips. Results for <c>esc-fold:all</c> pool the predictions of all rotations.
/// </summary>
public static class EvaluationRunner
{
    /// <summary>The mode name of the zero-shot row (<see cref="EvaluationOptions.ZeroShotScorer"/>).</summary>
    public const string ZeroShotMode = "zero-shot";

    public static async Task<EvaluationRun> RunAsync(
        Dataset dataset,
        EvaluationOptions options,
        IReadOnlyList<IAugmentationSource> sources,
        IPipelineReporter reporter,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        if (sources.Count == 0 && options.ZeroShotScorer is null)
        {
            throw new SynthioException(DiagnosticCodes.BadOption, "evaluation needs at least one mode");
        }

        var modes = sources.Select(s => s.Mode).Concat(options.ZeroShotScorer is null ? [] : [ZeroShotMode]).ToArray();
        var duplicate = modes.GroupBy(m => m, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new SynthioException(DiagnosticCodes.BadOption, $"mode '{duplicate.Key}' is listed twice");
        }

        var split = EvaluationSplit.Parse(options.Split);
        dataset = UsableClips(dataset, options.Parallelism, reporter, ct);
        var rotations = split.Rotations(dataset);
        var embedder = options.Embedder ?? new SpectralStatisticsEmbedder();
        var features = new FeatureCache(embedder);
        var outcomes = new Dictionary<(string Mode, int? N, int Seed), Outcome>();
        var total = rotations.Count * options.Sizes.Count * options.Seeds.Count * sources.Count;
        var done = 0;
        reporter.Progress("evaluate", 0, total);

        foreach (var rotation in rotations)
        {
            ct.ThrowIfCancellationRequested();
            // Only trained modes read features: a zero-shot-only run never computes them.
            var testFeatures = sources.Count == 0 ? [] : features.ForFiles(rotation.Test.Select(c => c.Path).ToArray(), options.Parallelism, ct);
            var testLabels = rotation.Test.Select(c => c.Label).ToArray();
            if (options.ZeroShotScorer is { } zeroShot)
            {
                // No training: the same predictions stand for every size and seed, so they are made once.
                var zeroShotPredicted = await ZeroShotAsync(zeroShot, rotation.Test, dataset.Labels, ct).ConfigureAwait(false);
                foreach (var n in options.Sizes)
                {
                    foreach (var seed in options.Seeds)
                    {
                        var key = (ZeroShotMode, n, seed);
                        if (!outcomes.TryGetValue(key, out var outcome))
                        {
                            outcomes[key] = outcome = new Outcome();
                        }

                        outcome.Add(testLabels, zeroShotPredicted, 0, 0, "none (zero-shot)", cvScore: null, policy: null, search: null);
                    }
                }

                reporter.Info($"{rotation.Name}, {ZeroShotMode}: test accuracy {ClassificationMetrics.Compute(testLabels, zeroShotPredicted).Accuracy:P1}");
            }

            foreach (var n in options.Sizes)
            {
                foreach (var seed in options.Seeds)
                {
                    var subset = TrainingSetDraw.Draw(rotation.TrainPool, n, seed);
                    var trainSubset = dataset.WithClips(subset);
                    var gold = TrainingExamples.FromGold(subset, features, options.Parallelism, ct);
                    foreach (var source in sources)
                    {
                        ct.ThrowIfCancellationRequested();
                        var unit = $"{rotation.Name}, n={EvaluationResult.FormatN(n)}, seed {seed}, {source.Mode}";
                        try
                        {
                            var augmented = await source.AugmentAsync(trainSubset, seed, ct).ConfigureAwait(false);
                            var synthetic = TrainingExamples.FromAugmented(augmented, features, options.Parallelism, source.Mode, ct);
                            var search = TrainerSearch.Run(
                                gold.Concat(synthetic).ToArray(),
                                new TrainerSearchOptions
                                {
                                    TimeBudget = options.TimeBudget,
                                    Seed = seed,
                                    Folds = options.Folds,
                                    Trainers = options.Trainers,
                                    MaxTrials = options.MaxTrials,
                                    TrialLogPath = options.TrialLogPath,
                                },
                                new PrefixedReporter(reporter, unit),
                                ct);
                            var predicted = search.Model.PredictMany(testFeatures).Select(p => p.Label).ToArray();
                            var key = (source.Mode, n, seed);
                            if (!outcomes.TryGetValue(key, out var outcome))
                            {
                                outcomes[key] = outcome = new Outcome();
                            }

                            var policy = source.LastPolicy;
                            outcome.Add(testLabels, predicted, gold.Count, synthetic.Count, search.BestTrainer, search.BestScore, policy, source.LastPolicySearch);
                            var policyText = policy is null ? string.Empty : $" (policy {policy})";
                            reporter.Info($"{unit}: {gold.Count} gold + {synthetic.Count} augmented{policyText}, {search.BestTrainer}, test accuracy {outcome.LastRotationAccuracy:P1}");
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            // One failing mode or seed should not throw away hours of other results.
                            reporter.Report(Diagnostic.Warning(
                                ex is SynthioException { Code: DiagnosticCodes.TrainerFailed } ? DiagnosticCodes.TrainerFailed : DiagnosticCodes.AugmentationFailed,
                                $"{unit}: skipped: {ex.Message}"));
                        }

                        reporter.Progress("evaluate", ++done, total);
                    }
                }
            }
        }

        var results = new List<EvaluationResult>();
        foreach (var mode in modes)
        {
            foreach (var n in options.Sizes)
            {
                foreach (var seed in options.Seeds)
                {
                    // A result needs every rotation, or pooled figures would mix test sets of different sizes.
                    if (outcomes.TryGetValue((mode, n, seed), out var outcome) && outcome.Rotations == rotations.Count)
                    {
                        results.Add(outcome.ToResult(mode, n, seed, dataset.Labels));
                    }
                }
            }
        }

        var settings = new EvaluationSettings(
            dataset.Source,
            split.Spec,
            modes,
            options.Sizes,
            options.Seeds,
            options.TimeBudget.TotalSeconds,
            embedder.Identity,
            dataset.Labels,
            rotations.Select(r => r.Test.Count).ToArray(),
            options.GroupPattern,
            options.Threshold,
            options.Trainers,
            options.MaxTrials);
        return new EvaluationRun(results, settings);
    }

    /// <summary>
    /// The clips <c>augment</c> and <c>train</c> would use (<see cref="GoldClipReader"/>): refused ones are left
    /// out with their warning before the split, so every mode trains and tests on the same clips.
    /// </summary>
    private static Dataset UsableClips(Dataset dataset, int parallelism, IPipelineReporter reporter, CancellationToken ct)
    {
        var usable = new bool[dataset.Clips.Count];
        Parallel.For(0, usable.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct }, i =>
        {
            try
            {
                GoldClipReader.Read(dataset.Clips[i].Path);
                usable[i] = true;
            }
            catch (SynthioException ex)
            {
                reporter.Report(Diagnostic.Warning(ex.Code, $"{ex.Message}; the clip is left out of the evaluation", dataset.Clips[i].Path));
            }
        });
        return usable.All(u => u) ? dataset : dataset.WithClips(dataset.Clips.Where((_, i) => usable[i]));
    }

    /// <summary>Each clip's label is the one the scorer rates highest (ties go to the first label in order).</summary>
    private static async Task<string[]> ZeroShotAsync(IAudioTextScorer scorer, IReadOnlyList<DatasetClip> clips, IReadOnlyList<string> labels, CancellationToken ct)
    {
        var predicted = new string[clips.Count];
        for (var i = 0; i < clips.Count; i++)
        {
            var audio = AudioFile.ReadMono(clips[i].Path);
            var best = double.NegativeInfinity;
            foreach (var label in labels)
            {
                var score = await scorer.ScoreAsync(audio, label, ct).ConfigureAwait(false);
                if (score > best)
                {
                    best = score;
                    predicted[i] = label;
                }
            }
        }

        return predicted;
    }

    /// <summary>Predictions of one (mode, n, seed), pooled over the split's rotations.</summary>
    private sealed class Outcome
    {
        private readonly List<string> _truth = new();
        private readonly List<string> _predicted = new();
        private readonly List<string> _trainers = new();
        private readonly List<double> _cvScores = new();
        private int _rotations;
        private readonly List<string> _policies = new();
        private readonly List<double> _rotationAccuracy = new();
        private readonly List<IReadOnlyDictionary<string, CandidateFigures>> _searches = new();
        private int _gold;
        private int _synthetic;

        public int Rotations => _rotations;

        public double LastRotationAccuracy => _rotationAccuracy[^1];

        public void Add(IReadOnlyList<string> truth, IReadOnlyList<string> predicted, int gold, int synthetic, string trainer, double? cvScore, string? policy, PolicyDecision? search)
        {
            _rotations++;
            _rotationAccuracy.Add(ClassificationMetrics.Compute(truth, predicted).Accuracy);
            if (search is not null)
            {
                _searches.Add(search.Candidates
                    .Where(c => c.Evaluated && c.Score is not null && c.Accuracy is not null)
                    .ToDictionary(c => c.Policy, c => new CandidateFigures(c.Score!.Value, c.Accuracy!.Value), StringComparer.Ordinal));
            }

            if (cvScore is { } score)
            {
                _cvScores.Add(score);
            }

            if (policy is not null)
            {
                _policies.Add(policy);
            }

            _truth.AddRange(truth);
            _predicted.AddRange(predicted);
            _gold += gold;
            _synthetic += synthetic;
            _trainers.Add(trainer);
        }

        public EvaluationResult ToResult(string mode, int? n, int seed, IReadOnlyList<string> labels)
        {
            var metrics = ClassificationMetrics.Compute(_truth, _predicted, labels);
            return new EvaluationResult(mode, n, seed, metrics.Accuracy, metrics.MacroF1)
            {
                TestClips = _truth.Count,
                GoldClips = _gold,
                SyntheticClips = _synthetic,
                Trainer = _trainers.GroupBy(t => t).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key,
                CvScore = _cvScores.Count > 0 ? _cvScores.Average() : null,
                Policies = _policies.Count > 0 ? _policies.ToArray() : null,
                RotationAccuracy = _rotationAccuracy.ToArray(),
                PolicySearches = _searches.Count == _rotations ? _searches.ToArray() : null,
                LabelAccuracy = metrics.PerLabel.Where(l => l.Support > 0).ToDictionary(l => l.Label, l => l.Recall, StringComparer.Ordinal),
            };
        }
    }

    /// <summary>Passes everything on, with the unit being evaluated in front of messages; search progress is not forwarded.</summary>
    private sealed class PrefixedReporter(IPipelineReporter inner, string prefix) : IPipelineReporter
    {
        public void Report(Diagnostic diagnostic) => inner.Report(diagnostic with { Message = $"{prefix}: {diagnostic.Message}" });

        public void Progress(string stage, int done, int total)
        {
        }

        public void Info(string message) => inner.Info($"{prefix}: {message}");
    }
}
