using System.Diagnostics;
using System.Globalization;
using Synthio.Audio;
using Synthio.Augmentation;
using Synthio.Diagnostics;
using Synthio.Features;
using Synthio.Pipeline;
using Synthio.Training;

namespace Synthio.Policy;

/// <summary>
/// Chooses how much augmentation to use, from the user's own training clips: every candidate policy is
/// scored by stratified k-fold cross-validation (a label's clips of one group of near-duplicates share a
/// fold, see <see cref="Datasets.ClipGroupPattern"/>) in which each fold's synthetic clips are generated from
/// that fold's training clips only (the embedded generator reuses gold material, so a child of a validation
/// clip would leak it). Candidates are scored with one fixed reference trainer, cheap and the one the trainer
/// search picks most often at small n, by the probability the model gives each validation clip's true label
/// (a right/wrong outcome per clip is too coarse to separate candidates on a few dozen clips), and the
/// smallest multiplier of the best candidate's source within one standard error of the best wins (the error
/// of the paired per-clip difference, so a gain must be more than luck to buy more augmentation).
/// Work runs cheapest first and stops at the budget: gold and classic copies, then synthio at one copy per
/// clip, then, while the budget lasts, the most synthio copies it affords (smaller counts are prefixes).
/// </summary>
public sealed class PolicySearch
{
    public const string ReferenceTrainer = TrainerCandidate.LbfgsName;

    /// <summary>Part of the cached decision's key: bump when the same inputs can lead to another choice.</summary>
    public const string Version = "3";

    private static readonly int[] Levels = { 1, 2, 4, 8 };

    private readonly IAudioEmbedder _embedder;
    private readonly ClassicAugmenter _classic;
    private readonly IFoldGenerator? _synthio;
    private readonly IPipelineReporter _reporter;

    public PolicySearch(IAudioEmbedder embedder, ClassicAugmenter classic, IFoldGenerator? synthio, IPipelineReporter reporter)
    {
        _embedder = embedder;
        _classic = classic;
        _synthio = synthio;
        _reporter = reporter;
    }

    /// <summary>How candidates are scored, in words (part of the decision and its cache key).</summary>
    public static string Method(int folds, bool grouped = false) =>
        $"{folds}-fold stratified cross-validation on the training clips{(grouped ? " (a label's clips of one group in one fold)" : "")}, synthetic clips generated per fold from that fold's training clips; "
        + $"reference trainer {ReferenceTrainer} at its starting point; score = mean probability of each validation clip's true label; the smallest multiplier of the best candidate's source (or gold-only) within one standard error (paired per clip) of the best score is chosen";

    public async Task<PolicyDecision> RunAsync(IReadOnlyList<TrainingClip> gold, PolicySearchOptions options, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var budget = options.Budget;
        var candidates = options.Candidates.Distinct().OrderBy(c => c.CostRank).ToArray();
        if (!candidates.Any(c => c.IsGoldOnly))
        {
            candidates = candidates.Prepend(AugmentationPolicy.GoldOnly).ToArray();
        }

        var clips = gold.OrderBy(c => c.Label, StringComparer.Ordinal).ThenBy(c => c.Id, StringComparer.Ordinal).ToArray();
        var labelSizes = clips.GroupBy(c => c.Label, StringComparer.Ordinal).Select(g => (Label: g.Key, Count: g.Count())).ToArray();
        var shortLabels = labelSizes.Where(l => l.Count < 2).Select(l => $"'{l.Label}'").ToArray();
        if (labelSizes.Length < 2 || shortLabels.Length > 0)
        {
            // Say which of the two conditions failed: a dataset of one label and a label of one clip want different fixes.
            var shortfall = labelSizes.Length < 2
                ? $"the training clips have {labelSizes.Length} label{(labelSizes.Length == 1 ? $" ('{labelSizes[0].Label}')" : "s")}"
                : $"{string.Join(", ", shortLabels)} {(shortLabels.Length == 1 ? "has" : "have")} a single training clip";
            _reporter.Report(Diagnostic.Warning(
                DiagnosticCodes.PolicyTooFewClips,
                $"the augmentation policy search needs at least two labels with two training clips each, and {shortfall}; using gold-only: set Multiplier to a number to augment anyway"));
            return TooFewClips(candidates, budget);
        }

        var state = new SearchState(clips, options, _embedder);
        _reporter.Info($"augmentation policy: scoring {candidates.Length} candidates by {state.FoldCount}-fold cross-validation on {clips.Length} training clips, budget {budget.TotalSeconds:0} s");
        var folds = Enumerable.Range(0, state.FoldCount)
            .Select(f => new PolicyFold(f, state.TrainClipsOf(f), state.ValidationClipsOf(f)))
            .ToArray();
        var foldManifests = new string?[state.FoldCount];
        var progressTotal = candidates.Length * state.FoldCount;
        var progress = 0;
        _reporter.Progress("policy", 0, progressTotal);

        var scores = new Dictionary<AugmentationPolicy, CandidateOutcome>();
        var skipped = new Dictionary<AugmentationPolicy, string>();

        void ScoreAvailable()
        {
            foreach (var candidate in candidates.Where(c => !scores.ContainsKey(c) && !skipped.ContainsKey(c) && state.CanScore(c)))
            {
                if (clock.Elapsed + state.EstimateFitTime(candidate) > budget && !candidate.IsGoldOnly)
                {
                    skipped[candidate] = "not scored: the policy budget ran out";
                    continue;
                }

                scores[candidate] = state.Score(candidate, options.Parallelism, ct);
                progress += state.FoldCount;
                _reporter.Progress("policy", Math.Min(progress, progressTotal), progressTotal);
            }
        }

        // Gold-only is always scored: it is the policy every other one must beat.
        ScoreAvailable();

        // Classic copies: the same copy of a clip serves every fold, so they are made once per clip.
        var classicNeeded = candidates.Max(c => c.ClassicCopies);
        foreach (var level in Levels.Where(l => l <= classicNeeded))
        {
            var estimate = state.EstimateClassicTime(level);
            if (clock.Elapsed + estimate + state.ReserveForScoring(candidates.Length - scores.Count) > budget)
            {
                break;
            }

            await Task.Run(() => state.MakeClassicCopies(_classic, level, options.Seed, options.Parallelism, ct), ct).ConfigureAwait(false);
            ScoreAvailable();
        }

        // Synthio: one copy per clip in every fold first (it measures the cost), then the largest count that fits.
        var synthioNeeded = candidates.Max(c => c.SynthioCopies);
        if (synthioNeeded > 0 && _synthio is null)
        {
            foreach (var c in candidates.Where(c => c.SynthioCopies > 0))
            {
                skipped[c] = "not scored: no generator";
            }
        }
        else if (synthioNeeded > 0)
        {
            // Generates `level` copies per clip in every fold (on top of `from`); false when the budget stops it.
            async Task<bool> GenerateLevelAsync(int level, int from)
            {
                foreach (var fold in folds)
                {
                    if (clock.Elapsed + state.EstimateSynthioTime(fold.Index, level, from) + state.ReserveForScoring(candidates.Length - scores.Count) > budget)
                    {
                        return false;
                    }

                    _reporter.Info($"augmentation policy: generating {level} synthio cop{(level == 1 ? "y" : "ies")} per clip in fold {fold.Index + 1} of {folds.Length}");
                    var foldClock = Stopwatch.StartNew();
                    var generation = await _synthio!.GenerateAsync(fold, level, ct).ConfigureAwait(false);
                    state.AddSynthio(fold.Index, level, generation.Clips, (level - from) * fold.Train.Count, options.Parallelism, foldClock.Elapsed, ct);
                    foldManifests[fold.Index] = generation.Manifest;
                }

                ScoreAvailable();
                return true;
            }

            // Then, while the budget lasts, the largest count it affords; the smaller ones are its prefixes, so
            // each step adds copies on top of the last (the cache keeps what was made) and scores every
            // candidate the new count completes. A level's measured time prices the next one.
            var current = 0;
            var next = 1;
            while (next > 0)
            {
                var levelClock = Stopwatch.StartNew();
                if (!await GenerateLevelAsync(next, current).ConfigureAwait(false))
                {
                    break;
                }

                var perCopy = levelClock.Elapsed / (next - current);
                current = next;
                next = Levels.Where(l => l > current && l <= synthioNeeded)
                    .Where(l => clock.Elapsed + (perCopy * (l - current)) + state.ReserveForScoring(candidates.Count(c => !scores.ContainsKey(c))) <= budget)
                    .DefaultIfEmpty(0)
                    .Max();
            }
        }

        foreach (var c in candidates.Where(c => !scores.ContainsKey(c) && !skipped.ContainsKey(c)))
        {
            skipped[c] = "not scored: the policy budget ran out";
        }

        _reporter.Progress("policy", progressTotal, progressTotal);
        if (skipped.Values.Any(v => v.Contains("budget", StringComparison.Ordinal)))
        {
            _reporter.Report(Diagnostic.Warning(
                DiagnosticCodes.PolicyBudgetExhausted,
                $"the augmentation policy budget ({budget.TotalSeconds:0} s) ran out before {skipped.Count(p => p.Value.Contains("budget", StringComparison.Ordinal))} of {candidates.Length} candidates were scored ({string.Join(", ", skipped.Where(p => p.Value.Contains("budget", StringComparison.Ordinal)).Select(p => p.Key.Name))}); the choice is among the others. Raise SynthioPolicyBudget (--policy-budget) to score them"));
        }

        var decision = Decide(candidates, scores, skipped, state, foldManifests, budget, clock.Elapsed);
        _reporter.Info($"augmentation policy: {decision.Chosen} ({decision.Reason})");
        return decision;
    }

    private static PolicyDecision Decide(
        IReadOnlyList<AugmentationPolicy> candidates,
        IReadOnlyDictionary<AugmentationPolicy, CandidateOutcome> scores,
        IReadOnlyDictionary<AugmentationPolicy, string> skipped,
        SearchState state,
        IReadOnlyList<string?> foldManifests,
        TimeSpan budget,
        TimeSpan elapsed)
    {
        var best = scores.OrderByDescending(p => p.Value.Score).ThenBy(p => p.Key.CostRank).First();
        var rows = new List<PolicyCandidateScore>();
        var differences = new Dictionary<AugmentationPolicy, (double Difference, double Error)>();
        foreach (var candidate in candidates)
        {
            if (!scores.TryGetValue(candidate, out var outcome))
            {
                rows.Add(new PolicyCandidateScore { Policy = candidate.Name, Evaluated = false, Note = skipped.GetValueOrDefault(candidate) });
                continue;
            }

            var (difference, error) = PairedDifference(outcome.TrueLabelProbability, best.Value.TrueLabelProbability);
            differences[candidate] = (difference, error);
            rows.Add(new PolicyCandidateScore
            {
                Policy = candidate.Name,
                Evaluated = true,
                Accuracy = outcome.Accuracy,
                Score = outcome.Score,
                FoldAccuracies = outcome.FoldAccuracies,
                DifferenceFromBest = difference,
                StandardError = error,
                AugmentedClipsPerFold = outcome.AugmentedPerFold,
            });
        }

        var chosen = ChooseWithinOneStandardError(best.Key, differences);
        string reason;
        var gold = scores[AugmentationPolicy.GoldOnly];
        if (chosen == best.Key)
        {
            reason = chosen.IsGoldOnly
                ? $"no candidate scored above gold-only (cross-validated accuracy {Pct(gold.Accuracy)}, true-label probability {Pct(gold.Score)})"
                : $"the best cross-validated score: true-label probability {Pct(best.Value.Score)} against {Pct(gold.Score)} for gold-only (accuracy {Pct(best.Value.Accuracy)} against {Pct(gold.Accuracy)}), and neither gold-only nor a smaller {best.Key.Source.ToString().ToLowerInvariant()} multiplier within one standard error of it";
        }
        else
        {
            reason = $"true-label probability {Pct(scores[chosen].Score)} cross-validated (accuracy {Pct(scores[chosen].Accuracy)}), within one standard error ({Points(differences[chosen].Error)} points) of the best, {best.Key.Name} at {Pct(best.Value.Score)} (accuracy {Pct(best.Value.Accuracy)}); "
                + (chosen.IsGoldOnly ? "augmentation did not pay beyond luck" : "the smaller multiplier wins the tie");
        }

        return new PolicyDecision
        {
            Chosen = chosen.Name,
            Best = best.Key.Name,
            Reason = reason,
            Method = Method(state.FoldCount, state.Grouped),
            Folds = state.FoldCount,
            ValidationClips = state.ClipCount,
            BudgetSeconds = budget.TotalSeconds,
            ElapsedSeconds = Math.Round(elapsed.TotalSeconds, 1),
            Candidates = rows,
            FoldSets = Enumerable.Range(0, state.FoldCount)
                .Select(f => new PolicyFoldRecord(f, state.TrainClipsOf(f).Select(c => c.Id).ToArray(), state.ValidationClipsOf(f).Select(c => c.Id).ToArray(), state.SynthioLevelOf(f), foldManifests[f]))
                .ToArray(),
        };
    }

    /// <summary>
    /// The smallest multiplier of the best candidate's source (gold-only counts as multiplier 0 of every
    /// source) whose shortfall against the best is within one standard error of that shortfall. The rule runs
    /// along one source's multipliers only: across every cheaper candidate of every source it becomes a
    /// many-way comparison in which some cheap candidate of another source is within one error by luck.
    /// </summary>
    internal static AugmentationPolicy ChooseWithinOneStandardError(
        AugmentationPolicy best,
        IReadOnlyDictionary<AugmentationPolicy, (double Difference, double Error)> differences) =>
        differences
            .Where(p => p.Key.IsGoldOnly || p.Key.Source == best.Source)
            .Where(p => p.Value.Difference >= -p.Value.Error - 1e-12)
            .Select(p => p.Key)
            .OrderBy(c => c.IsGoldOnly ? 0 : c.Multiplier)
            .ThenBy(c => c.CostRank)
            .First();

    /// <summary>Mean and standard error of (candidate − best) over the validation clips' per-clip scores.</summary>
    internal static (double Mean, double StandardError) PairedDifference(IReadOnlyList<double> candidate, IReadOnlyList<double> best) =>
        PairedComparison.Difference(candidate, best);

    private static PolicyDecision TooFewClips(IReadOnlyList<AugmentationPolicy> candidates, TimeSpan budget) => new()
    {
        Chosen = AugmentationPolicy.GoldOnly.Name,
        Best = AugmentationPolicy.GoldOnly.Name,
        Reason = "too few training clips per label to cross-validate, so nothing could show that augmentation pays",
        Method = Method(0),
        BudgetSeconds = budget.TotalSeconds,
        Candidates = candidates.Select(c => new PolicyCandidateScore { Policy = c.Name, Evaluated = false, Note = "not scored: too few clips" }).ToArray(),
        FoldSets = Array.Empty<PolicyFoldRecord>(),
    };

    private static string Pct(double value) => Points(value) + "%";

    private static string Points(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture);

    /// <param name="TrueLabelProbability">Per validation clip, the probability the model gave its true label.</param>
    private sealed record CandidateOutcome(double Accuracy, IReadOnlyList<double> FoldAccuracies, double[] TrueLabelProbability, double AugmentedPerFold)
    {
        public double Score => TrueLabelProbability.Average();
    }

    private sealed record SyntheticFeatures(string Label, string Key, float[] Features);

    /// <summary>Folds, features and timings of one search.</summary>
    private sealed class SearchState
    {
        private readonly TrainingClip[] _clips;
        private readonly float[][] _goldFeatures;
        private readonly int[] _foldOf;
        private readonly List<float[]>[] _classic;
        private readonly List<SyntheticFeatures>[] _synthio;
        private readonly int[] _synthioLevel;
        private readonly IAudioEmbedder _embedder;
        private readonly int _seed;
        private readonly IReadOnlyDictionary<string, double>? _labelWeights;
        // Wall time of scoring gold-only in every fold: fits of small data are mostly fixed cost, so larger
        // training sets are estimated to grow with the square root of their size.
        private double _goldScoringSeconds = -1;
        private double _classicSecondsPerCopy = -1;
        private double _synthioSecondsPerClip = -1;

        public SearchState(TrainingClip[] clips, PolicySearchOptions options, IAudioEmbedder embedder)
        {
            _clips = clips;
            _embedder = embedder;
            _seed = options.Seed;
            _goldFeatures = new float[clips.Length][];
            Parallel.For(0, clips.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, i => _goldFeatures[i] = embedder.Embed(clips[i].Audio));
            var examples = clips.Select((c, i) => TrainingExample.Gold(_goldFeatures[i], c.Label, c.Id, c.Group)).ToArray();
            var folds = CrossValidationFolds.Assign(examples, options.Folds, options.Seed);
            _labelWeights = LabelWeights.For(examples, options.ClassWeighting); // from every clip, so each fold weighs a label alike
            FoldCount = folds.FoldCount;
            _foldOf = clips.Select(c => folds.FoldOf(c.Id)).ToArray();
            _classic = clips.Select(_ => new List<float[]>()).ToArray();
            _synthio = Enumerable.Range(0, FoldCount).Select(_ => new List<SyntheticFeatures>()).ToArray();
            _synthioLevel = new int[FoldCount];
        }

        public int FoldCount { get; }

        public int ClipCount => _clips.Length;

        public bool Grouped => _clips.Any(c => c.Group is not null);

        public int SynthioLevelOf(int fold) => _synthioLevel[fold];

        public IReadOnlyList<TrainingClip> TrainClipsOf(int fold) => _clips.Where((_, i) => _foldOf[i] != fold).ToArray();

        public IReadOnlyList<TrainingClip> ValidationClipsOf(int fold) => _clips.Where((_, i) => _foldOf[i] == fold).ToArray();

        public bool CanScore(AugmentationPolicy policy) =>
            _classic.All(c => c.Count >= policy.ClassicCopies) && _synthioLevel.All(l => l >= policy.SynthioCopies);

        public TimeSpan EstimateFitTime(AugmentationPolicy policy) =>
            TimeSpan.FromSeconds(Math.Max(0, _goldScoringSeconds) * Math.Sqrt(1 + policy.Multiplier));

        /// <summary>Time to keep for scoring the candidates still waiting, at gold-plus-four-copies size each.</summary>
        public TimeSpan ReserveForScoring(int pending) => TimeSpan.FromSeconds(Math.Max(0, _goldScoringSeconds) * Math.Sqrt(5) * Math.Max(0, pending));

        public TimeSpan EstimateClassicTime(int level)
        {
            var newCopies = (level - _classic.Min(c => c.Count)) * _clips.Length;
            var perCopy = _classicSecondsPerCopy > 0 ? _classicSecondsPerCopy : 0.5 * MeanDuration() / 200; // the chain runs at ≥ 200× real time
            return TimeSpan.FromSeconds(perCopy * Math.Max(0, newCopies));
        }

        public TimeSpan EstimateSynthioTime(int fold, int level, int generatedAt)
        {
            var newClips = (level - generatedAt) * (double)_foldOf.Count(f => f != fold);
            var perClip = _synthioSecondsPerClip > 0 ? _synthioSecondsPerClip : (_classicSecondsPerCopy > 0 ? _classicSecondsPerCopy * 3 : MeanDuration() / 100);
            return TimeSpan.FromSeconds(perClip * newClips);
        }

        public void MakeClassicCopies(ClassicAugmenter augmenter, int level, int seed, int parallelism, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            var made = 0;
            Parallel.For(0, _clips.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct }, i =>
            {
                for (var copy = _classic[i].Count; copy < level; copy++)
                {
                    var bytes = augmenter.CopyAsWritten(_clips[i].Audio, seed, _clips[i].Id, copy);
                    _classic[i].Add(_embedder.Embed(WavFile.ParseMono(bytes, $"classic copy {copy} of {_clips[i].Path}")));
                    Interlocked.Increment(ref made);
                }
            });
            if (made > 0)
            {
                _classicSecondsPerCopy = clock.Elapsed.TotalSeconds * Math.Max(1, parallelism) / made;
            }
        }

        /// <param name="requested">Clips newly asked of the generator: the time is per request, since the filter may keep few of them.</param>
        public void AddSynthio(int fold, int level, IReadOnlyList<FoldSyntheticClip> clips, int requested, int parallelism, TimeSpan took, CancellationToken ct)
        {
            var trainIds = new HashSet<string>(TrainClipsOf(fold).Select(c => c.Id), StringComparer.Ordinal);
            var leaked = clips.FirstOrDefault(c => c.SourceIds.Any(s => !trainIds.Contains(s)));
            if (leaked is not null)
            {
                // The generator must only ever see the fold's training clips; anything else would inflate the score.
                throw new SynthioException(DiagnosticCodes.Internal, $"fold {fold + 1} generation used a clip outside the fold's training clips ({leaked.Key})");
            }

            var vectors = new float[clips.Count][];
            Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct }, i => vectors[i] = _embedder.Embed(clips[i].Audio));
            _synthio[fold] = clips.Select((c, i) => new SyntheticFeatures(c.Label, c.Key, vectors[i]))
                .OrderBy(c => c.Label, StringComparer.Ordinal)
                .ThenBy(c => c.Key, StringComparer.Ordinal)
                .ToList();
            _synthioLevel[fold] = level;
            if (requested > 0)
            {
                _synthioSecondsPerClip = took.TotalSeconds / requested;
            }
        }

        public CandidateOutcome Score(AugmentationPolicy policy, int parallelism, CancellationToken ct)
        {
            var correct = new bool[_clips.Length];
            var probability = new double[_clips.Length];
            var foldAccuracy = new double[FoldCount];
            var augmented = new int[FoldCount];
            var clock = Stopwatch.StartNew();
            Parallel.For(0, FoldCount, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct }, fold =>
            {
                var train = new List<TrainingExample>();
                var countOfLabel = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < _clips.Length; i++)
                {
                    if (_foldOf[i] == fold)
                    {
                        continue;
                    }

                    train.Add(TrainingExample.Gold(_goldFeatures[i], _clips[i].Label, _clips[i].Id));
                    countOfLabel[_clips[i].Label] = countOfLabel.GetValueOrDefault(_clips[i].Label) + 1;
                    for (var copy = 0; copy < policy.ClassicCopies; copy++)
                    {
                        train.Add(new TrainingExample(_classic[i][copy], _clips[i].Label, $"{_clips[i].Id}/classic/{copy}", new[] { _clips[i].Id }, IsSynthetic: true));
                    }
                }

                if (policy.SynthioCopies > 0)
                {
                    // A smaller count is a prefix (in key order) of the clips a larger one generated.
                    foreach (var group in _synthio[fold].GroupBy(s => s.Label, StringComparer.Ordinal))
                    {
                        foreach (var clip in group.Take(policy.SynthioCopies * countOfLabel.GetValueOrDefault(group.Key)))
                        {
                            train.Add(new TrainingExample(clip.Features, clip.Label, clip.Key, Array.Empty<string>(), IsSynthetic: true));
                        }
                    }
                }

                augmented[fold] = train.Count(t => t.IsSynthetic);
                var trainer = TrainerCandidate.Find(ReferenceTrainer)!;
                var profile = new TrainingDataProfile(train.Count, train[0].Features.Length, countOfLabel.Count, countOfLabel.Values.Min());
                var parameters = trainer.Space(profile).ToDictionary(p => p.Name, p => p.Initial, StringComparer.Ordinal);
                var model = TrainerSearch.Fit(ReferenceTrainer, parameters, train, _seed, _labelWeights);
                var validation = Enumerable.Range(0, _clips.Length).Where(i => _foldOf[i] == fold).ToArray();
                var predicted = model.PredictMany(validation.Select(i => _goldFeatures[i]).ToArray());
                var right = 0;
                for (var k = 0; k < validation.Length; k++)
                {
                    correct[validation[k]] = predicted[k].Label == _clips[validation[k]].Label;
                    probability[validation[k]] = predicted[k].Scores.TryGetValue(_clips[validation[k]].Label, out var p) ? p : 0;
                    right += correct[validation[k]] ? 1 : 0;
                }

                foldAccuracy[fold] = validation.Length == 0 ? 0 : right / (double)validation.Length;
            });
            if (policy.IsGoldOnly)
            {
                _goldScoringSeconds = clock.Elapsed.TotalSeconds;
            }

            return new CandidateOutcome(correct.Count(c => c) / (double)correct.Length, foldAccuracy.Select(a => Math.Round(a, 4)).ToArray(), probability, augmented.Average());
        }

        private double MeanDuration() => _clips.Average(c => c.Audio.DurationSeconds);
    }
}
