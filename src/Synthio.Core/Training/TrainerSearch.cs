using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Synthio.Diagnostics;

namespace Synthio.Training;

/// <summary>Settings of one <see cref="TrainerSearch"/> run.</summary>
public sealed record TrainerSearchOptions
{
    /// <summary>
    /// Wall-clock time for trials. A trial still running when it ends is stopped (ML.NET checks between
    /// iterations) and logged as cut; the first trial always completes so there is a model.
    /// </summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(60);

    public int Seed { get; init; }

    /// <summary>Requested cross-validation folds; lowered when a label has fewer gold examples.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Trainer names to consider (see <see cref="TrainerCandidate"/>); null means all.</summary>
    public IReadOnlyList<string>? Trainers { get; init; }

    /// <summary>Stop after this many evaluated trials even if time remains; makes runs exactly repeatable.</summary>
    public int? MaxTrials { get; init; }

    /// <summary>When set, every trial is appended to this file as one JSON line.</summary>
    public string? TrialLogPath { get; init; }

    /// <summary>Whether labels with fewer gold clips weigh more in training (<see cref="LabelWeights"/>).</summary>
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.Balanced;
}

/// <summary>One trial of the search, as logged.</summary>
public sealed record TrialRecord(
    [property: JsonPropertyName("trial")] int Number,
    [property: JsonPropertyName("trainer")] string Trainer,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, double> Parameters,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("score")] double? Score,
    [property: JsonPropertyName("fold_scores")] IReadOnlyList<double> FoldScores,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("estimated_cost")] double EstimatedCost,
    [property: JsonPropertyName("error")] string? Error)
{
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string CutByBudget = "cut-by-budget";

    /// <summary>Whether each validation clip was labelled right, fold after fold (the same order in every trial); not logged.</summary>
    [JsonIgnore]
    public IReadOnlyList<bool>? ValidationCorrect { get; init; }
}

/// <summary>What the search found, with the chosen configuration refitted on all the data.</summary>
public sealed record TrainerSearchResult(
    string BestTrainer,
    IReadOnlyDictionary<string, double> BestParameters,
    double BestScore,
    int FoldCount,
    IReadOnlyList<TrialRecord> Trials,
    TimeSpan SearchTime,
    MulticlassModel Model)
{
    /// <summary>
    /// Why a linear trainer was kept over a higher-scoring non-linear one (within one standard error of it);
    /// null when the highest score won outright.
    /// </summary>
    public string? Selection { get; init; }

    /// <summary>How the labels were weighted (<see cref="LabelWeights.Describe"/>); null when every example counted once.</summary>
    public string? ClassWeights { get; init; }

    /// <summary>Whether this is an earlier search of the same data, read back from the cache (<see cref="CachedTrainerSearch"/>).</summary>
    public bool Reused { get; init; }
}

/// <summary>
/// AutoML-style search over ML.NET multiclass trainers: the next trainer is chosen by its estimated cost
/// for improvement (ECI, as in FLAML), each trainer's hyper-parameters are tuned by cost-frugal local
/// search (<see cref="CostFrugalLocalSearch"/>), each trial is scored by the macro accuracy averaged over
/// leakage-free cross-validation folds (<see cref="CrossValidationFolds"/>), and the search stops at the
/// time budget. The highest score does not win outright over a linear model: a non-linear trainer must beat
/// the best linear trial by more than one standard error of their paired per-clip difference. On a few
/// dozen validation clips, and with augmented copies in training, trees often win the cross-validation by
/// chance and then lose on new audio. Trials are proposed from the seed alone (costs are estimated, not timed), so two runs with
/// the same seed evaluate the same sequence of trials; only where the time budget cuts it may differ.
/// </summary>
public static class TrainerSearch
{
    /// <summary>
    /// Version of what the search does, part of <see cref="CachedTrainerSearch"/>'s key: change it with any change
    /// that can make the search choose, or fit, otherwise on the same data.
    /// </summary>
    public const string Version = "1";

    /// <summary>
    /// The ML.NET release that fits the models, for cache keys of steps that fit them. Its assembly version stays
    /// 1.0.0.0 from release to release; the informational version names the release.
    /// </summary>
    public static readonly string MlNetRelease = typeof(MLContext).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static readonly JsonSerializerOptions LogJson = new() { WriteIndented = false };

    public static TrainerSearchResult Run(IReadOnlyList<TrainingExample> data, TrainerSearchOptions options, IPipelineReporter reporter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Run(data, options, SelectCandidates(options.Trainers), reporter, ct);
    }

    /// <summary>The search over an explicit candidate list (tests add candidates of their own).</summary>
    internal static TrainerSearchResult Run(IReadOnlyList<TrainingExample> data, TrainerSearchOptions options, IReadOnlyList<TrainerCandidate> candidates, IPipelineReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var labels = Validate(data);
        var featureCount = data[0].Features.Length;
        var context = new MLContext(seed: options.Seed);
        var folds = CrossValidationFolds.Assign(data, options.Folds, options.Seed);
        var weights = LabelWeights.For(data, options.ClassWeighting);
        var foldData = PrepareFolds(context, data, folds, featureCount, weights);
        var profile = new TrainingDataProfile(
            folds.TrainIndices(0).Count,
            featureCount,
            labels.Count,
            data.Where(e => !e.IsSynthetic).GroupBy(e => e.Label).Min(g => g.Count()));

        var random = new Random(options.Seed);
        var states = candidates.Select((c, i) => new TrainerState(c, c.Space(profile), options.Seed + (7919 * (i + 1)))).ToList();
        var trials = new List<TrialRecord>();
        var globalBest = double.PositiveInfinity;
        TrainerState? bestState = null;
        var reportedFailure = new HashSet<string>(StringComparer.Ordinal);
        var scored = new List<(TrainerCandidate Candidate, IReadOnlyDictionary<string, double> Parameters, double Score, IReadOnlyList<bool> Correct)>();
        using var log = OpenLog(options.TrialLogPath);

        reporter.Info($"trainer search: {data.Count} examples ({data.Count(e => e.IsSynthetic)} synthetic), {labels.Count} labels, {folds.FoldCount}-fold cross-validation, budget {options.TimeBudget.TotalSeconds:0.#} s");
        if (weights is not null)
        {
            reporter.Info($"trainer search: {LabelWeights.Describe(weights)}");
        }

        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var completed = trials.Count(t => t.Status == TrialRecord.Completed);
            if (completed > 0 && clock.Elapsed >= options.TimeBudget)
            {
                break;
            }

            if (options.MaxTrials is { } max && trials.Count(t => t.Status != TrialRecord.CutByBudget) >= max)
            {
                break;
            }

            var live = states.Where(s => !s.Exhausted).ToList();
            if (live.Count == 0)
            {
                break;
            }

            var state = ChooseByEci(live, bestState, globalBest, profile, random);
            var parameters = state.NextUnseen();
            if (parameters is null)
            {
                continue;
            }

            var estimated = state.Candidate.EstimateCost(parameters, profile) * folds.FoldCount;
            var record = RunTrial(state.Candidate, parameters, foldData, options, trials.Count + 1, estimated, canCut: completed > 0, clock, ct);
            trials.Add(record);
            WriteLog(log, record);
            if (record.Status == TrialRecord.CutByBudget)
            {
                break;
            }

            if (record.Status == TrialRecord.Failed)
            {
                if (reportedFailure.Add(state.Candidate.Name))
                {
                    reporter.Report(Diagnostic.Warning(DiagnosticCodes.TrainerFailed, $"trial {record.Number} ({record.Trainer}) failed and is skipped: {record.Error}"));
                }
                else
                {
                    reporter.Info($"trial {record.Number} ({record.Trainer}) failed: {record.Error}");
                }
            }

            if (record.Score is { } trialScore && record.ValidationCorrect is { } correct)
            {
                scored.Add((state.Candidate, parameters, trialScore, correct));
            }

            var loss = record.Score is { } s ? 1 - s : double.PositiveInfinity;
            state.Record(parameters, loss, estimated);
            if (loss < globalBest)
            {
                globalBest = loss;
                bestState = state;
            }

            reporter.Progress("trainer search", (int)Math.Min(clock.Elapsed.TotalMilliseconds, options.TimeBudget.TotalMilliseconds), (int)options.TimeBudget.TotalMilliseconds);
        }

        if (bestState is null || bestState.BestParameters is null)
        {
            throw new SynthioException(DiagnosticCodes.TrainerFailed, $"every trainer failed on this data ({trials.Count} trials); see the trial log for the errors");
        }

        var searchTime = clock.Elapsed;
        var chosen = Choose(scored, foldData.SelectMany(f => f.Weights).ToArray());
        reporter.Info($"trainer search: best {chosen.Candidate.Name} macro accuracy {chosen.Score:P1} after {trials.Count} trials in {searchTime.TotalSeconds:0.0} s");
        if (chosen.Selection is not null)
        {
            reporter.Info($"trainer search: {chosen.Selection}");
        }

        var model = Fit(context, chosen.Candidate, chosen.Parameters, data, labels, featureCount, options.Seed, weights);
        return new TrainerSearchResult(chosen.Candidate.Name, chosen.Parameters, chosen.Score, folds.FoldCount, trials, searchTime, model) { Selection = chosen.Selection, ClassWeights = weights is null ? null : LabelWeights.Describe(weights) };
    }

    /// <summary>
    /// The highest-scoring trial, unless it is non-linear and the best linear trial is within one standard
    /// error of it: then the linear one. The standard error is that of the weighted mean of the per-clip
    /// differences (the weights make the mean equal the difference in fold-averaged macro accuracy).
    /// </summary>
    internal static (TrainerCandidate Candidate, IReadOnlyDictionary<string, double> Parameters, double Score, string? Selection) Choose(
        IReadOnlyList<(TrainerCandidate Candidate, IReadOnlyDictionary<string, double> Parameters, double Score, IReadOnlyList<bool> Correct)> scored,
        IReadOnlyList<double> weights)
    {
        // The first trial reaching the top score wins ties, as in the search's own bookkeeping.
        var best = scored.Aggregate((a, b) => b.Score > a.Score ? b : a);
        var linear = scored.Where(t => t.Candidate.IsLinear).ToArray();
        if (best.Candidate.IsLinear || linear.Length == 0)
        {
            return (best.Candidate, best.Parameters, best.Score, null);
        }

        var bestLinear = linear.Aggregate((a, b) => b.Score > a.Score ? b : a);
        var error = PairedStandardError(best.Correct, bestLinear.Correct, weights);
        var margin = best.Score - bestLinear.Score;
        if (margin > error)
        {
            return (best.Candidate, best.Parameters, best.Score, null);
        }

        var selection = string.Create(
            CultureInfo.InvariantCulture,
            $"{best.Candidate.Name} scored {best.Score:P1}, within one standard error ({error * 100:0.0} points) of {bestLinear.Candidate.Name} at {bestLinear.Score:P1}; the linear model is kept");
        return (bestLinear.Candidate, bestLinear.Parameters, bestLinear.Score, selection);
    }

    /// <summary>Standard error of Σ wᵢ(aᵢ − bᵢ) over right (1) and wrong (0) outcomes; see <see cref="PairedComparison"/>.</summary>
    internal static double PairedStandardError(IReadOnlyList<bool> a, IReadOnlyList<bool> b, IReadOnlyList<double> weights) =>
        PairedComparison.Difference(a.Select(x => x ? 1.0 : 0.0).ToArray(), b.Select(x => x ? 1.0 : 0.0).ToArray(), weights).StandardError;

    /// <summary>Fits one trainer configuration on all of <paramref name="data"/> (no search), its examples weighted by <paramref name="weights"/> when given.</summary>
    public static MulticlassModel Fit(string trainer, IReadOnlyDictionary<string, double> parameters, IReadOnlyList<TrainingExample> data, int seed = 0, IReadOnlyDictionary<string, double>? weights = null)
    {
        var labels = Validate(data);
        var candidate = TrainerCandidate.Find(trainer)
            ?? throw new SynthioException(DiagnosticCodes.BadOption, $"unknown trainer '{trainer}' (known: {string.Join(", ", TrainerCandidate.All.Select(c => c.Name))})");
        return Fit(new MLContext(seed), candidate, parameters, data, labels, data[0].Features.Length, seed, weights);
    }

    private static MulticlassModel Fit(MLContext context, TrainerCandidate candidate, IReadOnlyDictionary<string, double> parameters, IReadOnlyList<TrainingExample> data, IReadOnlyList<string> labels, int featureCount, int seed, IReadOnlyDictionary<string, double>? weights)
    {
        var view = context.Data.Cache(MulticlassData.Load(context, data.Select(e => ToRow(e, weights)), featureCount));
        try
        {
            var transformer = Pipeline(context, candidate, parameters, labels, seed, weights is not null).Fit(view);
            return new MulticlassModel(context, transformer, view.Schema, labels, featureCount);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new SynthioException(DiagnosticCodes.TrainerFailed, $"fitting the final {candidate.Name} model failed: {ex.Message}", inner: ex);
        }
    }

    private static IEstimator<ITransformer> Pipeline(MLContext context, TrainerCandidate candidate, IReadOnlyDictionary<string, double> parameters, IReadOnlyList<string> labels, int seed, bool weighted) =>
        MulticlassData.LabelToKey(context, labels)
            .Append(candidate.Build(context, parameters, seed, weighted ? MulticlassData.Weight : null))
            .Append(MulticlassData.KeyToLabel(context));

    private static IReadOnlyList<string> Validate(IReadOnlyList<TrainingExample> data)
    {
        if (data.Count == 0 || data.All(e => e.IsSynthetic))
        {
            throw new SynthioException(DiagnosticCodes.EmptyDataset, "there are no gold training examples");
        }

        var length = data[0].Features.Length;
        var bad = data.FirstOrDefault(e => e.Features.Length != length);
        if (bad is not null || length == 0)
        {
            throw new SynthioException(DiagnosticCodes.FeatureMismatch, $"feature vectors differ in length ({length} vs {bad?.Features.Length ?? 0}, example '{bad?.Id}')");
        }

        var labels = data.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (labels.Length < 2)
        {
            throw new SynthioException(DiagnosticCodes.TooFewLabels, $"a classifier needs at least two labels; the data has {labels.Length}");
        }

        return labels;
    }

    private static IReadOnlyList<TrainerCandidate> SelectCandidates(IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return TrainerCandidate.All;
        }

        return names.Select(n => TrainerCandidate.Find(n)
                ?? throw new SynthioException(DiagnosticCodes.BadOption, $"unknown trainer '{n}' (known: {string.Join(", ", TrainerCandidate.All.Select(c => c.Name))})"))
            .Distinct()
            .ToArray();
    }

    private static FeatureRow ToRow(TrainingExample e, IReadOnlyDictionary<string, double>? weights) =>
        new() { Label = e.Label, Features = MulticlassModel.Sanitise(e.Features), Weight = weights is null ? 1f : (float)weights[e.Label] };

    /// <summary>One fold; <see cref="Weights"/> make Σ weight × correct over all folds the fold-averaged macro accuracy.</summary>
    private sealed record FoldData(IDataView Train, IDataView Validation, string[] ValidationLabels, double[] Weights, bool Weighted);

    private static FoldData[] PrepareFolds(MLContext context, IReadOnlyList<TrainingExample> data, CrossValidationFolds folds, int featureCount, IReadOnlyDictionary<string, double>? labelWeights)
    {
        var result = new FoldData[folds.FoldCount];
        for (var f = 0; f < folds.FoldCount; f++)
        {
            var train = folds.TrainIndices(f).Select(i => ToRow(data[i], labelWeights)).ToArray();
            var validation = folds.ValidationIndices(f).Select(i => ToRow(data[i], labelWeights)).ToArray();
            var perLabel = validation.GroupBy(r => r.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            result[f] = new FoldData(
                context.Data.Cache(MulticlassData.Load(context, train, featureCount)),
                context.Data.Cache(MulticlassData.Load(context, validation, featureCount)),
                validation.Select(r => r.Label).ToArray(),
                validation.Select(r => 1.0 / (folds.FoldCount * perLabel.Count * perLabel[r.Label])).ToArray(),
                labelWeights is not null);
        }

        return result;
    }

    private static TrialRecord RunTrial(
        TrainerCandidate candidate,
        IReadOnlyDictionary<string, double> parameters,
        FoldData[] folds,
        TrainerSearchOptions options,
        int number,
        double estimatedCost,
        bool canCut,
        Stopwatch clock,
        CancellationToken ct)
    {
        var started = clock.Elapsed;
        var scores = new List<double>();
        var correct = new List<bool>();
        var labels = folds.SelectMany(f => f.ValidationLabels).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        // Each trial gets its own context so the budget can stop a fit midway without poisoning the next one.
        var context = new MLContext(seed: options.Seed);
        using var deadline = new CancellationTokenSource();
        if (canCut)
        {
            var remaining = options.TimeBudget - clock.Elapsed;
            deadline.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }

        using var onDeadline = deadline.Token.Register(() => MlNetCancellation.Cancel(context));
        using var onCancel = ct.Register(() => MlNetCancellation.Cancel(context));
        TrialRecord Cut() => new(number, candidate.Name, parameters, TrialRecord.CutByBudget, null, scores.ToArray(), (clock.Elapsed - started).TotalSeconds, estimatedCost, null);
        try
        {
            foreach (var fold in folds)
            {
                ct.ThrowIfCancellationRequested();
                if (deadline.IsCancellationRequested)
                {
                    return Cut();
                }

                var model = Pipeline(context, candidate, parameters, labels, options.Seed, fold.Weighted).Fit(fold.Train);
                var predicted = context.Data.CreateEnumerable<ScoredRow>(model.Transform(fold.Validation), reuseRowObject: false)
                    .Select(r => r.PredictedLabel)
                    .ToArray();
                scores.Add(MacroAccuracy(fold.ValidationLabels, predicted));
                correct.AddRange(fold.ValidationLabels.Select((label, i) => string.Equals(predicted[i], label, StringComparison.Ordinal)));
            }

            return new TrialRecord(number, candidate.Name, parameters, TrialRecord.Completed, scores.Average(), scores.ToArray(), (clock.Elapsed - started).TotalSeconds, estimatedCost, null)
            {
                ValidationCorrect = correct.ToArray(),
            };
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        catch (Exception) when (deadline.IsCancellationRequested)
        {
            // ML.NET reports a stopped fit as an exception of its own choosing; the deadline says why.
            return Cut();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var message = ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
            return new TrialRecord(number, candidate.Name, parameters, TrialRecord.Failed, null, scores.ToArray(), (clock.Elapsed - started).TotalSeconds, estimatedCost, message);
        }
    }

    /// <summary>Mean over the labels present in <paramref name="truth"/> of the share predicted correctly.</summary>
    internal static double MacroAccuracy(IReadOnlyList<string> truth, IReadOnlyList<string> predicted)
    {
        var recalls = new List<double>();
        foreach (var group in truth.Select((label, i) => (label, i)).GroupBy(x => x.label, StringComparer.Ordinal))
        {
            var correct = group.Count(x => string.Equals(predicted[x.i], x.label, StringComparison.Ordinal));
            recalls.Add((double)correct / group.Count());
        }

        return recalls.Count == 0 ? 0 : recalls.Average();
    }

    /// <summary>
    /// FLAML's estimated cost for improvement. For trainer l with total cost K0, cost K1 spent when its
    /// best loss ε1 was found and K2 when its previous best ε2 was found:
    /// ECI1 = max(K0 − K1, K1 − K2) (cost to improve itself); for a trainer that is not the global best,
    /// ECI2 = (ε1 − ε*) / ((ε2 − ε1) / (K1 − K2)) (cost to reach the best ε* at its rate of improvement);
    /// ECI = max(ECI1, ECI2). Untried trainers cost their cheapest trial. The next trainer is drawn with
    /// probability proportional to 1/ECI.
    /// </summary>
    private static TrainerState ChooseByEci(IReadOnlyList<TrainerState> live, TrainerState? best, double globalBest, TrainingDataProfile profile, Random random)
    {
        var weights = new double[live.Count];
        for (var i = 0; i < live.Count; i++)
        {
            var s = live[i];
            double eci;
            if (s.Trials == 0)
            {
                eci = s.Candidate.EstimateCost(s.StartValues, profile);
            }
            else
            {
                eci = Math.Max(s.TotalCost - s.CostAtBest, s.CostAtBest - s.CostAtPreviousBest);
                if (!ReferenceEquals(s, best))
                {
                    var rate = (s.PreviousBestLoss - s.BestLoss) / Math.Max(1e-9, s.CostAtBest - s.CostAtPreviousBest);
                    var gap = s.BestLoss - globalBest;
                    var eci2 = double.IsFinite(gap) && rate > 0 ? gap / rate : double.PositiveInfinity;
                    eci = Math.Max(eci, eci2);
                }

                eci = Math.Max(eci, s.LastCost);
            }

            // A trainer that never succeeded keeps a small chance rather than none.
            weights[i] = double.IsFinite(eci) && eci > 0 ? 1 / eci : 1e-6;
        }

        // An untried trainer goes first: ECI is only meaningful once a trainer has a result.
        var untried = live.FirstOrDefault(s => s.Trials == 0);
        if (untried is not null)
        {
            return untried;
        }

        var total = weights.Sum();
        var pick = random.NextDouble() * total;
        for (var i = 0; i < live.Count; i++)
        {
            pick -= weights[i];
            if (pick <= 0)
            {
                return live[i];
            }
        }

        return live[^1];
    }

    private static StreamWriter? OpenLog(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return new StreamWriter(path, append: true) { AutoFlush = true };
    }

    private static void WriteLog(StreamWriter? log, TrialRecord record) => log?.WriteLine(JsonSerializer.Serialize(record, LogJson));

    /// <summary>Appends trials of an earlier search (read back from the cache) to the trial log, as the search logs its own.</summary>
    internal static void AppendTrialLog(string? path, IEnumerable<TrialRecord> trials)
    {
        using var log = OpenLog(path);
        foreach (var trial in trials)
        {
            WriteLog(log, trial);
        }
    }

    /// <summary>Search state of one trainer: its local search, ECI bookkeeping and evaluated configurations.</summary>
    private sealed class TrainerState
    {
        private const int MaximumRepeatedProposals = 200;
        private readonly Dictionary<string, double> _seen = new(StringComparer.Ordinal);

        public TrainerState(TrainerCandidate candidate, IReadOnlyList<HyperParameter> space, int seed)
        {
            Candidate = candidate;
            Search = new CostFrugalLocalSearch(space, seed);
            StartValues = space.ToDictionary(p => p.Name, p => p.Denormalise(p.Normalise(p.Initial)), StringComparer.Ordinal);
        }

        public TrainerCandidate Candidate { get; }

        public CostFrugalLocalSearch Search { get; }

        public IReadOnlyDictionary<string, double> StartValues { get; }

        public int Trials { get; private set; }

        public bool Exhausted { get; private set; }

        public double TotalCost { get; private set; }

        public double CostAtBest { get; private set; }

        public double CostAtPreviousBest { get; private set; }

        public double BestLoss { get; private set; } = double.PositiveInfinity;

        public double PreviousBestLoss { get; private set; } = 1;

        public double LastCost { get; private set; }

        public IReadOnlyDictionary<string, double>? BestParameters { get; private set; }

        /// <summary>
        /// The next configuration not evaluated yet. Rounding makes small steps land on seen points; those
        /// are answered from memory (so the local search still moves) without training again.
        /// </summary>
        public IReadOnlyDictionary<string, double>? NextUnseen()
        {
            for (var attempt = 0; attempt < MaximumRepeatedProposals; attempt++)
            {
                var proposal = Search.Propose();
                if (_seen.TryGetValue(Key(proposal), out var loss))
                {
                    Search.Tell(loss);
                    continue;
                }

                return proposal;
            }

            Exhausted = true;
            return null;
        }

        public void Record(IReadOnlyDictionary<string, double> parameters, double loss, double cost)
        {
            Trials++;
            TotalCost += cost;
            LastCost = cost;
            _seen[Key(parameters)] = loss;
            Search.Tell(loss);
            if (loss < BestLoss)
            {
                PreviousBestLoss = double.IsFinite(BestLoss) ? BestLoss : 1;
                CostAtPreviousBest = CostAtBest;
                BestLoss = loss;
                CostAtBest = TotalCost;
                BestParameters = parameters;
            }
        }

        private static string Key(IReadOnlyDictionary<string, double> parameters) =>
            string.Join(';', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value.ToString("R", CultureInfo.InvariantCulture)));
    }
}
