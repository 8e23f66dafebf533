using System.Globalization;
using System.Text;
using Synthio.Evaluation;

namespace Synthio.Cli.Reporting;

/// <summary>
/// Writes the human report of an evaluation: <c>report.md</c> with mean ± std tables per mode × n,
/// paired differences against gold-only (same n and seed) with the count of seeds won, the trainers the
/// search chose, and a chart image beside it.
/// </summary>
public static class EvaluationReport
{
    /// <summary>The chart's file name, written next to the report.</summary>
    public const string ChartFileName = "accuracy.png";

    /// <summary>Writes <c>report.md</c> and <see cref="ChartFileName"/> into <paramref name="outDirectory"/>; returns the report's path.</summary>
    public static string Write(EvaluationRun run, string outDirectory, string? title = null)
    {
        Directory.CreateDirectory(outDirectory);
        var summary = new EvaluationSummary(run.Results);
        var chartPath = Path.Combine(outDirectory, ChartFileName);
        RenderChart(summary, chartPath, title ?? DefaultTitle(run));
        var reportPath = Path.Combine(outDirectory, "report.md");
        File.WriteAllText(reportPath, Markdown(run, summary, ChartFileName, title));
        return reportPath;
    }

    /// <summary>How every model was trained: the search's budget, and the trainers and trials it was held to.</summary>
    private static string TrainingLine(EvaluationSettings s)
    {
        if (s.Trainers is [var only] && s.MaxTrials == 1)
        {
            return $"Training: {only} at its starting hyper-parameters (one trial, no search)";
        }

        var limits = new List<string>();
        if (s.Trainers is { Count: > 0 } names)
        {
            limits.Add($"trainers {string.Join(", ", names)}");
        }

        if (s.MaxTrials is { } trials)
        {
            limits.Add(trials == 1 ? "one trial" : $"at most {trials} trials");
        }

        var budget = $"{s.TimeBudgetSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s per training";
        return limits.Count == 0 ? $"Trainer search: {budget}" : $"Trainer search: {budget}, {string.Join(", ", limits)}";
    }

    /// <summary>The markdown text alone (the chart is referenced by <paramref name="chartFileName"/>).</summary>
    public static string Markdown(EvaluationRun run, EvaluationSummary summary, string chartFileName, string? title = null)
    {
        var s = run.Settings;
        var md = new StringBuilder();
        md.AppendLine($"# {title ?? DefaultTitle(run)}").AppendLine();
        var testClips = s.TestClipsPerRotation.Sum();
        md.AppendLine($"- Dataset: `{Path.GetFileName(s.Dataset.TrimEnd('/', '\\'))}` ({s.Labels.Count} labels)");
        md.AppendLine($"- Split: `{s.Split}` — {testClips} held-out clips{(s.TestClipsPerRotation.Count > 1 ? $" over {s.TestClipsPerRotation.Count} rotations, predictions pooled" : string.Empty)}; one clip is {Points(1.0 / Math.Max(1, testClips))} points of accuracy");
        md.AppendLine($"- Clips per label (n): {string.Join(", ", summary.Sizes.Select(EvaluationResult.FormatN))}; seeds: {string.Join(", ", s.Seeds)}");
        md.AppendLine($"- {TrainingLine(s)}, the same for every mode");
        md.AppendLine($"- Features: `{s.Features}`").AppendLine();
        md.AppendLine($"![Accuracy by mode and clips per label]({chartFileName})").AppendLine();

        AppendTable(md, "Accuracy (%), mean ± std over seeds", summary, (m, n) => MeanStd(summary.Accuracy(m, n)));
        AppendTable(md, "Macro-F1 (%), mean ± std over seeds", summary, (m, n) => MeanStd(summary.MacroF1(m, n)));

        var others = summary.Modes.Where(m => m != summary.BaselineMode).ToArray();
        if (others.Length > 0 && summary.Modes.Contains(summary.BaselineMode))
        {
            md.AppendLine($"## Gain over {summary.BaselineMode} (accuracy points, paired by seed)").AppendLine();
            md.AppendLine($"Each cell: mean ± std of (mode − {summary.BaselineMode}) over the seeds both ran, then seeds won / tied / lost.").AppendLine();
            AppendTable(md, null, summary, (m, n) => Gain(summary.PairedAccuracyGain(m, n)), others);
            md.AppendLine($"## Gain over {summary.BaselineMode} (macro-F1 points, paired by seed)").AppendLine();
            AppendTable(md, null, summary, (m, n) => Gain(summary.PairedMacroF1Gain(m, n)), others);
            md.AppendLine(Verdict(summary, others)).AppendLine();
        }

        AppendLabelTables(md, summary);

        AppendTable(md, "Trainers chosen by the search (seeds)", summary, (m, n) =>
            string.Join(", ", summary.Trainers(m, n).Select(t => $"{t.Trainer} ×{t.Count}")));

        md.AppendLine("## Every result").AppendLine();
        md.AppendLine("| mode | n | seed | accuracy (%) | macro-F1 (%) | gold clips | augmented clips | trainer | CV score (%) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in run.Results.OrderBy(r => summary.Modes.ToList().IndexOf(r.Mode)).ThenBy(r => r.N ?? int.MaxValue).ThenBy(r => r.Seed))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Mode} | {r.NText} | {r.Seed} | {Points(r.Accuracy)} | {Points(r.MacroF1)} | {r.GoldClips} | {r.SyntheticClips} | {r.Trainer} | {(r.CvScore is { } cv ? Points(cv) : "–")} |");
        }

        return md.ToString();
    }

    private static string DefaultTitle(EvaluationRun run) =>
        $"Evaluation of {Path.GetFileName(run.Settings.Dataset.TrimEnd('/', '\\'))} ({run.Settings.Split})";

    private static void RenderChart(EvaluationSummary summary, string path, string title)
    {
        var bars = new List<ChartBar>();
        foreach (var n in summary.Sizes)
        {
            foreach (var mode in summary.Modes)
            {
                var stats = summary.Accuracy(mode, n);
                if (stats.Count > 0)
                {
                    bars.Add(new ChartBar(n is null ? "all" : $"n = {n}", mode, stats.Mean * 100, stats.StandardDeviation * 100));
                }
            }
        }

        AccuracyChart.RenderPng(path, bars, title, "Accuracy (%) ± std over seeds", "clips per label");
    }

    private static void AppendTable(StringBuilder md, string? heading, EvaluationSummary summary, Func<string, int?, string> cell, IReadOnlyList<string>? modes = null)
    {
        if (heading is not null)
        {
            md.AppendLine($"## {heading}").AppendLine();
        }

        md.Append("| mode |");
        foreach (var n in summary.Sizes)
        {
            md.Append(n is null ? " all |" : $" n = {n} |");
        }

        md.AppendLine().Append("|---|");
        md.AppendLine(string.Concat(summary.Sizes.Select(_ => "---|")));
        foreach (var mode in modes ?? summary.Modes)
        {
            md.Append($"| {mode} |");
            foreach (var n in summary.Sizes)
            {
                md.Append($" {cell(mode, n)} |");
            }

            md.AppendLine();
        }

        md.AppendLine();
    }

    /// <summary>Per n, each label's accuracy under every mode: where a mode's gain comes from, and which labels it costs.</summary>
    private static void AppendLabelTables(StringBuilder md, EvaluationSummary summary)
    {
        var labels = summary.LabelsWithAccuracy;
        if (labels.Count == 0)
        {
            return;
        }

        md.AppendLine("## Accuracy per label (%), mean over seeds").AppendLine();
        md.AppendLine("The share of each label's held-out clips classified right. With few test clips per label, one clip moves a cell a lot.").AppendLine();
        foreach (var n in summary.Sizes)
        {
            md.AppendLine(n is null ? "### Every training clip" : $"### n = {n}").AppendLine();
            md.AppendLine($"| label | {string.Join(" | ", summary.Modes)} |");
            md.AppendLine($"|---|{string.Concat(summary.Modes.Select(_ => "---|"))}");
            foreach (var label in labels)
            {
                var cells = summary.Modes.Select(m => summary.LabelAccuracy(m, n, label) is { Count: > 0 } stats ? Points(stats.Mean) : "–");
                md.AppendLine($"| {label} | {string.Join(" | ", cells)} |");
            }

            md.AppendLine();
        }
    }

    private static string Verdict(EvaluationSummary summary, IReadOnlyList<string> others)
    {
        var lines = new List<string>();
        foreach (var mode in others)
        {
            foreach (var n in summary.Sizes)
            {
                if (summary.PairedAccuracyGain(mode, n) is not { } gain)
                {
                    continue;
                }

                var d = gain.Difference;
                var seeds = gain.Won + gain.Tied + gain.Lost;
                // A gain counts as clear only when it exceeds twice its standard error and most seeds agree.
                var standardError = d.Count > 1 ? d.StandardDeviation / Math.Sqrt(d.Count) : double.PositiveInfinity;
                var clear = Math.Abs(d.Mean) > 2 * standardError && Math.Max(gain.Won, gain.Lost) > seeds / 2;
                var direction = d.Mean > 0 ? "helped" : d.Mean < 0 ? "hurt" : "changed nothing";
                lines.Add($"- {mode} at n = {EvaluationResult.FormatN(n)}: {direction} by {Signed(d.Mean)} points ({gain.Won} of {seeds} seeds won){(clear ? string.Empty : " — within the seed-to-seed noise")}.");
            }
        }

        return "### Did augmentation help?\n\n" + string.Join("\n", lines);
    }

    private static string MeanStd(SeedStatistics stats) =>
        stats.Count == 0 ? "—" : stats.Count == 1 ? Points(stats.Mean) : $"{Points(stats.Mean)} ± {Points(stats.StandardDeviation)}";

    private static string Gain(PairedDifference? gain)
    {
        if (gain is null)
        {
            return "—";
        }

        var d = gain.Difference;
        var spread = d.Count > 1 ? $" ± {Points(d.StandardDeviation)}" : string.Empty;
        return $"{Signed(d.Mean)}{spread} (won {gain.Won}, tied {gain.Tied}, lost {gain.Lost})";
    }

    /// <summary>A fraction as percent with one decimal ("72.5").</summary>
    public static string Points(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>A difference of fractions as signed points ("+7.8", "−2.5").</summary>
    public static string Signed(double fraction) => (fraction >= 0 ? "+" : "−") + Points(Math.Abs(fraction));
}
