using Synthio.Evaluation;

namespace Synthio.Cli.Reporting;

/// <summary>Mean, spread and count of one measured quantity over seeds.</summary>
public sealed record SeedStatistics(double Mean, double StandardDeviation, int Count)
{
    /// <summary>Sample standard deviation (n − 1); 0 for a single value.</summary>
    public static SeedStatistics Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new SeedStatistics(double.NaN, double.NaN, 0);
        }

        var mean = values.Average();
        var variance = values.Count > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) : 0;
        return new SeedStatistics(mean, Math.Sqrt(variance), values.Count);
    }
}

/// <summary>A mode minus gold-only at the same n and seed, over the seeds both have.</summary>
public sealed record PairedDifference(SeedStatistics Difference, int Won, int Tied, int Lost);

/// <summary>The numbers an evaluation report shows, computed once from the results.</summary>
public sealed class EvaluationSummary
{
    public EvaluationSummary(IReadOnlyList<EvaluationResult> results, string baselineMode = GoldOnlySource.ModeName)
    {
        Results = results;
        BaselineMode = baselineMode;
        Modes = results.Select(r => r.Mode).Distinct(StringComparer.Ordinal)
            .OrderBy(m => m == baselineMode ? 0 : 1).ToArray();
        // Numeric sizes ascending, "all" last.
        Sizes = results.Select(r => r.N).Distinct().OrderBy(n => n ?? int.MaxValue).ToArray();
    }

    public IReadOnlyList<EvaluationResult> Results { get; }

    public string BaselineMode { get; }

    /// <summary>Modes in report order: the baseline first, then as they first appear.</summary>
    public IReadOnlyList<string> Modes { get; }

    public IReadOnlyList<int?> Sizes { get; }

    public SeedStatistics Accuracy(string mode, int? n) => SeedStatistics.Of(Select(mode, n).Select(r => r.Accuracy).ToArray());

    public SeedStatistics MacroF1(string mode, int? n) => SeedStatistics.Of(Select(mode, n).Select(r => r.MacroF1).ToArray());

    /// <summary>Labels with a per-label accuracy in some result, in order; empty for results that predate it.</summary>
    public IReadOnlyList<string> LabelsWithAccuracy => Results.SelectMany(r => r.LabelAccuracy?.Keys ?? Enumerable.Empty<string>())
        .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>One label's accuracy over the seeds that recorded it.</summary>
    public SeedStatistics LabelAccuracy(string mode, int? n, string label) =>
        SeedStatistics.Of(Select(mode, n).Where(r => r.LabelAccuracy?.ContainsKey(label) == true).Select(r => r.LabelAccuracy![label]).ToArray());

    /// <summary>Accuracy of <paramref name="mode"/> minus the baseline's, paired by seed; null when no seed pairs.</summary>
    public PairedDifference? PairedAccuracyGain(string mode, int? n) => Paired(mode, n, r => r.Accuracy);

    public PairedDifference? PairedMacroF1Gain(string mode, int? n) => Paired(mode, n, r => r.MacroF1);

    /// <summary>How often each trainer was chosen for a mode and size.</summary>
    public IReadOnlyList<(string Trainer, int Count)> Trainers(string mode, int? n) =>
        Select(mode, n).GroupBy(r => r.Trainer, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal)
            .ToArray();

    private IEnumerable<EvaluationResult> Select(string mode, int? n) =>
        Results.Where(r => r.Mode == mode && r.N == n);

    private PairedDifference? Paired(string mode, int? n, Func<EvaluationResult, double> metric)
    {
        var baseline = Select(BaselineMode, n).ToDictionary(r => r.Seed);
        var differences = Select(mode, n)
            .Where(r => baseline.ContainsKey(r.Seed))
            .Select(r => metric(r) - metric(baseline[r.Seed]))
            .ToArray();
        if (differences.Length == 0)
        {
            return null;
        }

        // Differences within floating-point noise count as ties, not wins.
        const double tolerance = 1e-9;
        return new PairedDifference(
            SeedStatistics.Of(differences),
            differences.Count(d => d > tolerance),
            differences.Count(d => Math.Abs(d) <= tolerance),
            differences.Count(d => d < -tolerance));
    }
}
