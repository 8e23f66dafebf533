using System.Globalization;
using System.Net;
using System.Text;
using Synthio.Evaluation;
using Synthio.Generation;
using Synthio.Policy;

namespace Synthio.Cli.Reporting;

/// <summary>Clips of one label: gold training clips, synthetic clips accepted, held-out clips.</summary>
public sealed record LabelCounts(string Label, int Gold, int Synthetic, int HeldOut);

/// <summary>
/// Everything the build report shows, as plain data. <see cref="GoldOnly"/>/<see cref="Augmented"/>
/// are the held-out metrics (null when there was no holdout or no augmentation).
/// </summary>
public sealed record BuildReportData
{
    public required string ProjectName { get; init; }

    public required IReadOnlyList<LabelCounts> Counts { get; init; }

    public ClassificationMetrics? GoldOnly { get; init; }

    public ClassificationMetrics? Augmented { get; init; }

    /// <summary>The trainer of the shipped model and its parameters.</summary>
    public required string BestTrainer { get; init; }

    public IReadOnlyDictionary<string, double> BestParameters { get; init; } = new Dictionary<string, double>();

    /// <summary>Cross-validated macro accuracy of the shipped model's configuration.</summary>
    public double CrossValidationScore { get; init; }

    public int Trials { get; init; }

    /// <summary>Why a linear trainer was kept over a higher-scoring one, when it was (the trainer search's selection note).</summary>
    public string? TrainerSelection { get; init; }

    /// <summary>How labels were weighted in training, when their gold clips were unevenly spread.</summary>
    public string? ClassWeights { get; init; }

    public double TimeBudgetSeconds { get; init; }

    /// <summary>How the held-out clips were chosen, in words (e.g. "20% of each label, by file-name hash").</summary>
    public string? HoldoutDescription { get; init; }

    public string? ModelPath { get; init; }

    /// <summary>The augmentation policy the training data used (<c>gold-only</c>, <c>classic×4</c>…), when known.</summary>
    public string? Policy { get; init; }

    /// <summary>The automatic policy search behind <see cref="Policy"/>, when <c>Multiplier="auto"</c>.</summary>
    public PolicyDecision? PolicySearch { get; init; }

    /// <summary>Per label, what generation, the filter and self-reflection did (the manifest's <c>stats</c>); empty without Synthio clips.</summary>
    public IReadOnlyList<LabelGenerationStats> Generation { get; init; } = [];

    /// <summary>
    /// The augmented training data as the tables name it: what the policy added to the gold clips
    /// ("gold + classic copies (classic×8)"), or "gold + synthetic" when the policy is not known.
    /// </summary>
    public string AugmentedName
    {
        get
        {
            AugmentationPolicy parsed;
            try
            {
                parsed = AugmentationPolicy.Parse(Policy ?? string.Empty);
            }
            catch (Diagnostics.SynthioException)
            {
                return "gold + synthetic";
            }

            var added = parsed.Source switch
            {
                AugmentationSource.Classic => "classic copies",
                AugmentationSource.Both => "synthetic + classic copies",
                _ => "synthetic",
            };
            return $"gold + {added} ({parsed.Name})";
        }
    }

    /// <summary>Gold-only vs augmented figures from a finished <see cref="HoldoutComparison"/>.</summary>
    public static BuildReportData From(string projectName, HoldoutComparisonResult comparison, IReadOnlyList<LabelCounts> counts, double timeBudgetSeconds, string? holdoutDescription = null, string? modelPath = null)
    {
        var shipped = comparison.Augmented ?? comparison.GoldOnly;
        return new BuildReportData
        {
            ProjectName = projectName,
            Counts = counts,
            GoldOnly = comparison.GoldOnlyMetrics,
            Augmented = comparison.AugmentedMetrics,
            BestTrainer = shipped.BestTrainer,
            BestParameters = shipped.BestParameters,
            CrossValidationScore = shipped.BestScore,
            Trials = shipped.Trials.Count,
            TrainerSelection = shipped.Selection,
            ClassWeights = shipped.ClassWeights,
            TimeBudgetSeconds = timeBudgetSeconds,
            HoldoutDescription = holdoutDescription,
            ModelPath = modelPath,
        };
    }
}

/// <summary>
/// Writes the build report: markdown, an HTML page (chart embedded, so it opens on its own) and the chart
/// PNG. For <c>obj/synthio/report.md</c> it writes <c>report.md</c>, <c>report.html</c> and <c>report.png</c>.
/// </summary>
public static class BuildReport
{
    /// <summary>Writes the three files; returns the HTML page's path.</summary>
    public static string Write(BuildReportData data, string markdownPath)
    {
        var full = Path.GetFullPath(markdownPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var stem = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full));
        var chartPath = stem + ".png";
        var htmlPath = stem + ".html";
        var hasChart = RenderChart(data, chartPath);
        File.WriteAllText(full, Markdown(data, hasChart ? Path.GetFileName(chartPath) : null));
        File.WriteAllText(htmlPath, Html(data, hasChart ? File.ReadAllBytes(chartPath) : null));
        return htmlPath;
    }

    public static string Markdown(BuildReportData data, string? chartFileName)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Synthio build report: {data.ProjectName}").AppendLine();
        foreach (var line in Headline(data))
        {
            md.AppendLine($"- {line}");
        }

        md.AppendLine();
        if (chartFileName is not null)
        {
            md.AppendLine($"![Held-out accuracy and macro-F1]({chartFileName})").AppendLine();
        }

        if (data.GoldOnly is not null)
        {
            md.AppendLine("## Held-out results").AppendLine();
            md.AppendLine("| training data | accuracy (%) | macro-F1 (%) | held-out clips |");
            md.AppendLine("|---|---|---|---|");
            md.AppendLine($"| gold only | {Pct(data.GoldOnly.Accuracy)} | {Pct(data.GoldOnly.MacroF1)} | {data.GoldOnly.Count} |");
            if (data.Augmented is not null)
            {
                md.AppendLine($"| {data.AugmentedName} | {Pct(data.Augmented.Accuracy)} | {Pct(data.Augmented.MacroF1)} | {data.Augmented.Count} |");
            }

            md.AppendLine();
            if (UnevenHoldout(data) is { } uneven)
            {
                md.AppendLine(uneven).AppendLine();
            }
        }

        md.AppendLine("## Clips per label").AppendLine();
        md.AppendLine("| label | gold | augmented | held out |");
        md.AppendLine("|---|---|---|---|");
        foreach (var c in data.Counts)
        {
            md.AppendLine($"| {c.Label} | {c.Gold} | {c.Synthetic} | {c.HeldOut} |");
        }

        md.AppendLine($"| **total** | {data.Counts.Sum(c => c.Gold)} | {data.Counts.Sum(c => c.Synthetic)} | {data.Counts.Sum(c => c.HeldOut)} |").AppendLine();

        if (GenerationRows(data) is { Count: > 0 } generation)
        {
            md.AppendLine("## Synthetic clips per label").AppendLine();
            md.AppendLine(GenerationIntro).AppendLine();
            md.AppendLine("| " + string.Join(" | ", GenerationColumns) + " |");
            md.AppendLine("|" + string.Concat(GenerationColumns.Select(_ => "---|")));
            foreach (var row in generation)
            {
                md.AppendLine("| " + string.Join(" | ", row) + " |");
            }

            md.AppendLine();
        }

        var shipped = data.Augmented ?? data.GoldOnly;
        if (shipped is not null)
        {
            md.AppendLine($"## Confusion matrix ({(data.Augmented is not null ? data.AugmentedName : "gold only")}, held out; rows = true label)").AppendLine();
            md.AppendLine("| true \\ predicted | " + string.Join(" | ", shipped.Labels) + " |");
            md.AppendLine("|---|" + string.Concat(shipped.Labels.Select(_ => "---|")));
            for (var i = 0; i < shipped.Labels.Count; i++)
            {
                md.AppendLine($"| {shipped.Labels[i]} | " + string.Join(" | ", shipped.Confusion[i]) + " |");
            }

            md.AppendLine();
        }

        if (data.PolicySearch is { } search)
        {
            md.AppendLine("## Why this much augmentation").AppendLine();
            md.AppendLine($"Chosen: **{search.Chosen}**: {search.Reason}.").AppendLine();
            md.AppendLine($"How: {search.Method}. {search.ValidationClips} validation clips, {search.ElapsedSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s of a {search.BudgetSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s budget.").AppendLine();
            md.AppendLine("| policy | true-label probability (%) | vs best (points) | standard error (points) | accuracy (%) | extra clips per fold | note |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var row in PolicyRows(search))
            {
                md.AppendLine("| " + string.Join(" | ", row) + " |");
            }

            md.AppendLine();
        }

        md.AppendLine("## Trainer search").AppendLine();
        md.AppendLine($"Best trainer **{data.BestTrainer}** (cross-validated macro accuracy {Pct(data.CrossValidationScore)} %, {data.Trials} trials, budget {data.TimeBudgetSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s).").AppendLine();
        if (data.TrainerSelection is not null)
        {
            md.AppendLine($"Why: {data.TrainerSelection}.").AppendLine();
        }

        if (data.ClassWeights is not null)
        {
            md.AppendLine($"Class weights: {data.ClassWeights}.").AppendLine();
        }
        if (data.BestParameters.Count > 0)
        {
            md.AppendLine("| parameter | value |");
            md.AppendLine("|---|---|");
            foreach (var p in data.BestParameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                md.AppendLine($"| {p.Key} | {p.Value.ToString("G6", CultureInfo.InvariantCulture)} |");
            }
        }

        return md.ToString();
    }

    public static string Html(BuildReportData data, byte[]? chartPng)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>Synthio build report: {E(data.ProjectName)}</title>");
        html.AppendLine("<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
            + "th:first-child,td:first-child{text-align:left}.diag{background:#e8f4e8;font-weight:bold}img{max-width:100%}</style>");
        html.AppendLine("</head><body>");
        html.AppendLine($"<h1>Synthio build report: {E(data.ProjectName)}</h1><ul>");
        foreach (var line in Headline(data))
        {
            html.AppendLine($"<li>{E(line)}</li>");
        }

        html.AppendLine("</ul>");
        if (chartPng is not null)
        {
            html.AppendLine($"<img alt=\"Held-out accuracy and macro-F1\" src=\"data:image/png;base64,{Convert.ToBase64String(chartPng)}\">");
        }

        if (data.GoldOnly is not null)
        {
            html.AppendLine("<h2>Held-out results</h2><table><tr><th>training data</th><th>accuracy (%)</th><th>macro-F1 (%)</th><th>held-out clips</th></tr>");
            html.AppendLine($"<tr><td>gold only</td><td>{Pct(data.GoldOnly.Accuracy)}</td><td>{Pct(data.GoldOnly.MacroF1)}</td><td>{data.GoldOnly.Count}</td></tr>");
            if (data.Augmented is not null)
            {
                html.AppendLine($"<tr><td>{WebUtility.HtmlEncode(data.AugmentedName)}</td><td>{Pct(data.Augmented.Accuracy)}</td><td>{Pct(data.Augmented.MacroF1)}</td><td>{data.Augmented.Count}</td></tr>");
            }

            html.AppendLine("</table>");
            if (UnevenHoldout(data) is { } uneven)
            {
                html.AppendLine($"<p>{E(uneven)}</p>");
            }
        }

        html.AppendLine("<h2>Clips per label</h2><table><tr><th>label</th><th>gold</th><th>augmented</th><th>held out</th></tr>");
        foreach (var c in data.Counts)
        {
            html.AppendLine($"<tr><td>{E(c.Label)}</td><td>{c.Gold}</td><td>{c.Synthetic}</td><td>{c.HeldOut}</td></tr>");
        }

        html.AppendLine("</table>");
        if (GenerationRows(data) is { Count: > 0 } generation)
        {
            html.AppendLine($"<h2>Synthetic clips per label</h2><p>{E(GenerationIntro)}</p><table><tr>" + string.Concat(GenerationColumns.Select(c => $"<th>{E(c)}</th>")) + "</tr>");
            foreach (var row in generation)
            {
                html.AppendLine("<tr>" + string.Concat(row.Select(cell => $"<td>{E(cell)}</td>")) + "</tr>");
            }

            html.AppendLine("</table>");
        }

        var shipped = data.Augmented ?? data.GoldOnly;
        if (shipped is not null)
        {
            html.AppendLine($"<h2>Confusion matrix ({(data.Augmented is not null ? data.AugmentedName : "gold only")}, held out)</h2>");
            html.AppendLine("<table><tr><th>true \\ predicted</th>" + string.Concat(shipped.Labels.Select(l => $"<th>{E(l)}</th>")) + "</tr>");
            for (var i = 0; i < shipped.Labels.Count; i++)
            {
                html.Append($"<tr><th>{E(shipped.Labels[i])}</th>");
                for (var j = 0; j < shipped.Labels.Count; j++)
                {
                    html.Append(i == j ? $"<td class=\"diag\">{shipped.Confusion[i][j]}</td>" : $"<td>{shipped.Confusion[i][j]}</td>");
                }

                html.AppendLine("</tr>");
            }

            html.AppendLine("</table>");
        }

        if (data.PolicySearch is { } search)
        {
            html.AppendLine($"<h2>Why this much augmentation</h2><p>Chosen: <b>{E(search.Chosen)}</b>: {E(search.Reason)}.</p>");
            html.AppendLine($"<p>How: {E(search.Method)}. {search.ValidationClips} validation clips, {search.ElapsedSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s of a {search.BudgetSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s budget.</p>");
            html.AppendLine("<table><tr><th>policy</th><th>true-label probability (%)</th><th>vs best (points)</th><th>standard error (points)</th><th>accuracy (%)</th><th>extra clips per fold</th><th>note</th></tr>");
            foreach (var row in PolicyRows(search))
            {
                html.AppendLine("<tr>" + string.Concat(row.Select(cell => $"<td>{E(cell.Replace("**", string.Empty, StringComparison.Ordinal))}</td>")) + "</tr>");
            }

            html.AppendLine("</table>");
        }

        html.AppendLine($"<h2>Trainer search</h2><p>Best trainer <b>{E(data.BestTrainer)}</b> (cross-validated macro accuracy {Pct(data.CrossValidationScore)} %, {data.Trials} trials, budget {data.TimeBudgetSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s).{(data.TrainerSelection is null ? string.Empty : $" Why: {E(data.TrainerSelection)}.")}{(data.ClassWeights is null ? string.Empty : $" Class weights: {E(data.ClassWeights)}.")}</p>");
        if (data.BestParameters.Count > 0)
        {
            html.AppendLine("<table><tr><th>parameter</th><th>value</th></tr>");
            foreach (var p in data.BestParameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                html.AppendLine($"<tr><td>{E(p.Key)}</td><td>{p.Value.ToString("G6", CultureInfo.InvariantCulture)}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private const string GenerationIntro = "Each clip is generated from a caption, kept when the label-consistency score reaches the label's threshold, "
        + "and a rejected caption is rewritten (self-reflection) and generated again.";

    private static readonly string[] GenerationColumns = ["label", "wanted", "generated", "kept", "rejected", "captions rewritten", "threshold"];

    /// <summary>One row per label that asked for synthetic clips; "kept" says how far short of the target it fell.</summary>
    private static List<string[]> GenerationRows(BuildReportData data) =>
        data.Generation.Where(s => s.Target > 0).OrderBy(s => s.Label, StringComparer.Ordinal).Select(s => new[]
        {
            s.Label,
            s.Target.ToString(CultureInfo.InvariantCulture),
            s.Generated.ToString(CultureInfo.InvariantCulture),
            s.ReachedTarget ? s.Accepted.ToString(CultureInfo.InvariantCulture) : $"{s.Accepted} ({s.Missing} short)",
            s.Rejected.ToString(CultureInfo.InvariantCulture),
            s.Revised.ToString(CultureInfo.InvariantCulture),
            s.Threshold is { } t ? t.ToString("0.00", CultureInfo.InvariantCulture) : "no filter",
        }).ToList();

    private static IEnumerable<string> Headline(BuildReportData data)
    {
        if (data.GoldOnly is not null && data.Augmented is not null)
        {
            var gain = data.Augmented.Accuracy - data.GoldOnly.Accuracy;
            yield return $"Held-out accuracy: gold only {Pct(data.GoldOnly.Accuracy)} %, {data.AugmentedName} {Pct(data.Augmented.Accuracy)} % ({EvaluationReport.Signed(gain)} points on {data.GoldOnly.Count} clips; one clip = {Pct(1.0 / Math.Max(1, data.GoldOnly.Count))} points)";
        }
        else if (data.GoldOnly is not null)
        {
            yield return $"Held-out accuracy: {Pct(data.GoldOnly.Accuracy)} % on {data.GoldOnly.Count} clips (no synthetic data to compare)";
        }
        else
        {
            yield return "No held-out clips: accuracy on unseen data was not measured";
        }

        if (data.HoldoutDescription is not null)
        {
            yield return $"Held-out clips: {data.HoldoutDescription}";
        }

        if (data.Policy is not null)
        {
            yield return data.PolicySearch is { } search
                ? $"Augmentation: {data.Policy}, chosen automatically ({search.Reason})"
                : $"Augmentation: {data.Policy} (fixed by the project's Multiplier)";
        }

        yield return $"Model: {data.BestTrainer}{(data.ModelPath is null ? string.Empty : $" → {data.ModelPath}")}";
    }

    /// <summary>One row per candidate: policy, score, difference from the best, its standard error, accuracy, extra clips, note (all cross-validated).</summary>
    private static IEnumerable<string[]> PolicyRows(PolicyDecision search)
    {
        foreach (var c in search.Candidates)
        {
            var name = c.Policy == search.Chosen ? $"**{c.Policy}** (chosen)" : c.Policy;
            yield return c.Evaluated
                ? new[]
                {
                    name,
                    Pct(c.Score ?? 0),
                    EvaluationReport.Signed(c.DifferenceFromBest ?? 0),
                    Pct(c.StandardError ?? 0),
                    Pct(c.Accuracy ?? 0),
                    (c.AugmentedClipsPerFold ?? 0).ToString("0", CultureInfo.InvariantCulture),
                    c.Policy == search.Best ? "best" : string.Empty,
                }
                : new[] { name, "–", "–", "–", "–", "–", c.Note ?? "not scored" };
        }
    }

    private static bool RenderChart(BuildReportData data, string path)
    {
        if (data.GoldOnly is null)
        {
            return false;
        }

        var bars = new List<ChartBar>
        {
            new("accuracy", "gold only", data.GoldOnly.Accuracy * 100, 0),
            new("macro-F1", "gold only", data.GoldOnly.MacroF1 * 100, 0),
        };
        if (data.Augmented is not null)
        {
            bars.Add(new ChartBar("accuracy", data.AugmentedName, data.Augmented.Accuracy * 100, 0));
            bars.Add(new ChartBar("macro-F1", data.AugmentedName, data.Augmented.MacroF1 * 100, 0));
        }

        AccuracyChart.RenderPng(path, bars, $"{data.ProjectName}: held-out results", "%", string.Empty, 700, 420);
        return true;
    }

    /// <summary>
    /// When the held-out clips are unevenly spread across labels, plain accuracy favours a model that leans
    /// towards the labels with most clips; the mean of the labels' recalls does not.
    /// </summary>
    private static string? UnevenHoldout(BuildReportData data)
    {
        if (data.GoldOnly is not { IsUneven: true } gold)
        {
            return null;
        }

        var supports = gold.PerLabel.Where(l => l.Support > 0).Select(l => l.Support).ToArray();
        var augmented = data.Augmented is { } a ? $", {data.AugmentedName} {Pct(a.MeanRecall)} %" : string.Empty;
        return $"The held-out clips are unevenly spread ({supports.Min()} to {supports.Max()} per label), so accuracy leans towards the labels with most of them. The mean of the labels' recalls, which counts every label alike: gold only {Pct(gold.MeanRecall)} %{augmented}.";
    }

    private static string Pct(double fraction) => EvaluationReport.Points(fraction);
}
