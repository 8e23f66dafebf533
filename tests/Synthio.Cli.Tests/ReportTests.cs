using System.Buffers.Binary;
using Synthio.Cli.Reporting;
using Synthio.Evaluation;
using Synthio.Generation;
using Synthio.Tests;

namespace Synthio.Cli.Tests;

public class ReportTests
{
    private static EvaluationRun SampleRun()
    {
        var results = new List<EvaluationResult>
        {
            new("gold", 2, 0, 0.40, 0.35) { Trainer = "LightGbm" },
            new("gold", 2, 1, 0.50, 0.45) { Trainer = "LightGbm" },
            new("gold", 2, 2, 0.45, 0.40) { Trainer = "LbfgsMaximumEntropy" },
            new("classic", 2, 0, 0.50, 0.47) { Trainer = "LightGbm" },
            new("classic", 2, 1, 0.50, 0.44) { Trainer = "LightGbm" },
            new("classic", 2, 2, 0.40, 0.30) { Trainer = "LightGbm" },
            new("gold", null, 0, 0.85, 0.84) { Trainer = "LightGbm" },
            new("classic", null, 0, 0.80, 0.79) { Trainer = "LightGbm" },
        };
        var settings = new EvaluationSettings("/data/esc10", "esc-fold:1", new[] { "gold", "classic" }, new int?[] { 2, null }, new[] { 0, 1, 2 }, 10, "spectral-statistics/1", new[] { "a", "b" }, new[] { 80 });
        return new EvaluationRun(results, settings);
    }

    [Fact]
    public void Summary_computes_mean_std_and_paired_gains()
    {
        var summary = new EvaluationSummary(SampleRun().Results);
        Assert.Equal(new[] { "gold", "classic" }, summary.Modes);
        Assert.Equal(new int?[] { 2, null }, summary.Sizes);
        var gold = summary.Accuracy("gold", 2);
        Assert.Equal(0.45, gold.Mean, 10);
        Assert.Equal(0.05, gold.StandardDeviation, 10);
        var gain = summary.PairedAccuracyGain("classic", 2)!;
        // Differences +0.10, 0, −0.05.
        Assert.Equal(0.05 / 3, gain.Difference.Mean, 10);
        Assert.Equal((1, 1, 1), (gain.Won, gain.Tied, gain.Lost));
        Assert.Equal(-0.05, summary.PairedAccuracyGain("classic", null)!.Difference.Mean, 10);
    }

    [Fact]
    public void Evaluation_report_has_tables_gains_and_a_png_chart_beside_it()
    {
        using var temp = new TempDirectory();
        var path = EvaluationReport.Write(SampleRun(), temp.Path);

        var text = File.ReadAllText(path);
        Assert.Equal(temp.Combine("report.md"), path);
        Assert.Contains("![Accuracy by mode and clips per label](accuracy.png)", text);
        Assert.Contains("| gold | 45.0 ± 5.0 | 85.0 |", text);
        Assert.Contains("| classic | +1.7 ± 7.6 (won 1, tied 1, lost 1) | −5.0 (won 0, tied 0, lost 1) |", text);
        Assert.Contains("within the seed-to-seed noise", text);
        Assert.Contains("LightGbm ×2, LbfgsMaximumEntropy ×1", text);
        Assert.Contains("- Trainer search: 10 s per training, the same for every mode", text);
        AssertPng(temp.Combine(EvaluationReport.ChartFileName), 900, 500);
    }

    [Fact]
    public void Evaluation_report_tables_each_labels_accuracy_per_size_and_leaves_them_out_for_older_results()
    {
        var run = SampleRun();
        var withLabels = run with
        {
            Results = run.Results.Select(r => r with
            {
                LabelAccuracy = new Dictionary<string, double> { ["a"] = r.Seed == 0 ? 0.25 : 0.75, ["b"] = r.Mode == "gold" ? 0.5 : 1.0 },
            }).ToArray(),
        };

        var text = EvaluationReport.Markdown(withLabels, new EvaluationSummary(withLabels.Results), "accuracy.png");
        Assert.Contains("## Accuracy per label (%), mean over seeds", text);
        // n = 2 has seeds 0–2 (a: 25, 75, 75); every training clip only seed 0.
        Assert.Contains("### n = 2\n\n| label | gold | classic |\n|---|---|---|\n| a | 58.3 | 58.3 |\n| b | 50.0 | 100.0 |", text.ReplaceLineEndings("\n"));
        Assert.Contains("### Every training clip\n\n| label | gold | classic |\n|---|---|---|\n| a | 25.0 | 25.0 |", text.ReplaceLineEndings("\n"));

        Assert.DoesNotContain("Accuracy per label", EvaluationReport.Markdown(run, new EvaluationSummary(run.Results), "accuracy.png"));
    }

    [Theory]
    [InlineData(new[] { "LbfgsMaximumEntropy" }, 1, "- Training: LbfgsMaximumEntropy at its starting hyper-parameters (one trial, no search), the same for every mode")]
    [InlineData(new[] { "LightGbm", "SdcaMaximumEntropy" }, 20, "- Trainer search: 10 s per training, trainers LightGbm, SdcaMaximumEntropy, at most 20 trials, the same for every mode")]
    [InlineData(new[] { "LightGbm", "SdcaMaximumEntropy" }, 1, "- Trainer search: 10 s per training, trainers LightGbm, SdcaMaximumEntropy, one trial, the same for every mode")]
    public void Evaluation_report_says_how_the_trainers_were_held(string[] trainers, int maxTrials, string line)
    {
        var run = SampleRun();
        var held = run with { Settings = run.Settings with { Trainers = trainers, MaxTrials = maxTrials } };
        Assert.Contains(line, EvaluationReport.Markdown(held, new EvaluationSummary(held.Results), "accuracy.png"));
    }

    [Fact]
    public void Build_report_writes_markdown_html_and_chart_with_the_confusion_matrix()
    {
        using var temp = new TempDirectory();
        var gold = ClassificationMetrics.Compute(new[] { "cat", "cat", "dog", "dog" }, new[] { "cat", "dog", "dog", "dog" });
        var augmented = ClassificationMetrics.Compute(new[] { "cat", "cat", "dog", "dog" }, new[] { "cat", "cat", "dog", "dog" });
        var data = new BuildReportData
        {
            ProjectName = "Pets",
            Counts = new[] { new LabelCounts("cat", 4, 12, 2), new LabelCounts("dog", 5, 15, 2) },
            GoldOnly = gold,
            Augmented = augmented,
            BestTrainer = "LightGbm",
            BestParameters = new Dictionary<string, double> { ["NumberOfLeaves"] = 4 },
            CrossValidationScore = 0.9,
            Trials = 17,
            TimeBudgetSeconds = 30,
        };

        var html = BuildReport.Write(data, temp.Combine("obj", "report.md"));
        Assert.Equal(temp.Combine("obj", "report.html"), html);
        var md = File.ReadAllText(temp.Combine("obj", "report.md"));
        Assert.Contains("| gold only | 75.0 | 73.3 | 4 |", md);
        Assert.Contains("| gold + synthetic | 100.0 | 100.0 | 4 |", md);
        Assert.Contains("+25.0 points on 4 clips", md);
        Assert.Contains("| cat | 2 | 0 |", md);
        Assert.Contains("| **total** | 9 | 27 | 4 |", md);
        Assert.Contains("Best trainer **LightGbm**", md);
        var page = File.ReadAllText(html);
        Assert.Contains("data:image/png;base64,", page);
        Assert.Contains("<td class=\"diag\">2</td>", page);
        AssertPng(temp.Combine("obj", "report.png"), 700, 420);
    }

    [Theory]
    [InlineData("classic×8", "gold + classic copies (classic×8)")]
    [InlineData("synthio×2", "gold + synthetic (synthio×2)")]
    [InlineData("both×4", "gold + synthetic + classic copies (both×4)")]
    [InlineData(null, "gold + synthetic")]
    public void Build_report_names_the_augmented_row_after_the_policy(string? policy, string expected)
    {
        var metrics = ClassificationMetrics.Compute(new[] { "cat", "dog" }, new[] { "cat", "dog" });
        var data = new BuildReportData
        {
            ProjectName = "Pets",
            Counts = new[] { new LabelCounts("cat", 4, 12, 1), new LabelCounts("dog", 4, 12, 1) },
            GoldOnly = metrics,
            Augmented = metrics,
            BestTrainer = "LightGbm",
            Policy = policy,
        };

        var md = BuildReport.Markdown(data, chartFileName: null);
        Assert.Contains($"| {expected} | 100.0 | 100.0 | 2 |", md);
        Assert.Contains($"## Confusion matrix ({expected}, held out", md);
    }

    [Fact]
    public void Build_report_shows_what_generation_the_filter_and_reflection_did_per_label()
    {
        var metrics = ClassificationMetrics.Compute(new[] { "cat", "dog" }, new[] { "cat", "dog" });
        var data = new BuildReportData
        {
            ProjectName = "Pets",
            Counts = new[] { new LabelCounts("cat", 4, 8, 1), new LabelCounts("dog", 4, 5, 1) },
            GoldOnly = metrics,
            Augmented = metrics,
            BestTrainer = "LbfgsMaximumEntropy",
            Policy = "synthio×2",
            Generation = new[]
            {
                new LabelGenerationStats("dog", 4, 8, Generated: 14, Accepted: 5, Rejected: 9, Revised: 6) { Threshold = 0.42 },
                new LabelGenerationStats("cat", 4, 8, Generated: 9, Accepted: 8, Rejected: 1, Revised: 1) { Threshold = 0.85 },
            },
        };

        var md = BuildReport.Markdown(data, chartFileName: null);
        Assert.Contains("## Synthetic clips per label", md);
        Assert.Contains("| cat | 8 | 9 | 8 | 1 | 1 | 0.85 |", md);
        Assert.Contains("| dog | 8 | 14 | 5 (3 short) | 9 | 6 | 0.42 |", md);
        Assert.True(md.IndexOf("| cat | 8 | 9", StringComparison.Ordinal) < md.IndexOf("| dog | 8 | 14", StringComparison.Ordinal), "labels in order");
        var page = BuildReport.Html(data, chartPng: null);
        Assert.Contains("<td>5 (3 short)</td>", page);

        var classic = BuildReport.Markdown(data with { Policy = "classic×4", Generation = [] }, chartFileName: null);
        Assert.DoesNotContain("Synthetic clips per label", classic);
    }

    /// <summary>Checks the PNG signature and the size in its header, and that it is not blank.</summary>
    private static void AssertPng(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 2000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}
