using System.Globalization;
using System.Text;
using Synthio.Cli.Reporting;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Evaluation;

namespace Synthio.Bench;

/// <summary>
/// <c>evaluate &lt;dataset&gt; [--n 2,5,10|all] [--seeds 3] [--modes gold] [--split …] [--time-budget s] --out DIR</c>
/// runs the evaluation through the engine (gold mode only: the other modes come with the CLI command);
/// <c>report --results a.json[,b.json] --out file.md [--json-out merged.json] [--title T] [--baseline-accuracy 0.727 --baseline-name text]</c>
/// writes the benchmark's markdown with the chart and the comparison with a published baseline.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return args.FirstOrDefault() switch
            {
                "evaluate" => await Evaluate(args.Skip(1).ToArray()),
                "report" => Report(args.Skip(1).ToArray()),
                _ => Usage("expected 'evaluate' or 'report'"),
            };
        }
        catch (SynthioException ex)
        {
            Console.Error.WriteLine($"error {ex.Code}: {ex.Message}");
            return ex.Code == DiagnosticCodes.BadOption || ex.Code == DiagnosticCodes.BadSplit ? 2 : 1;
        }
    }

    private static async Task<int> Evaluate(string[] args)
    {
        var (positional, options) = Parse(args);
        if (positional.Count != 1 || !options.TryGetValue("out", out var outDir))
        {
            return Usage("evaluate needs <dataset> and --out <dir>");
        }

        var modes = options.GetValueOrDefault("modes", "gold").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (modes.Any(m => m != GoldOnlySource.ModeName))
        {
            return Usage("this stand-in runs mode 'gold' only; use `dotnet synthio evaluate` for the augmented modes");
        }

        var seedCount = int.Parse(options.GetValueOrDefault("seeds", "3"), CultureInfo.InvariantCulture);
        var evaluation = new EvaluationOptions
        {
            Split = options.GetValueOrDefault("split", "stratified:0.2"),
            Sizes = EvaluationOptions.ParseSizes(options.GetValueOrDefault("n", "2,5,10")),
            Seeds = Enumerable.Range(0, seedCount).ToArray(),
            TimeBudget = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("time-budget", "30"), CultureInfo.InvariantCulture)),
            TrialLogPath = Path.Combine(outDir, "trials.jsonl"),
        };

        var reporter = new ConsoleReporter();
        var dataset = DatasetLoader.Load(positional[0], reporter);
        var run = await EvaluationRunner.RunAsync(dataset, evaluation, new IAugmentationSource[] { new GoldOnlySource() }, reporter);
        EvaluationResultsFile.Write(Path.Combine(outDir, "results.json"), run);
        var report = EvaluationReport.Write(run, outDir);
        Console.WriteLine($"wrote {report}");
        return 0;
    }

    private static int Report(string[] args)
    {
        var (_, options) = Parse(args);
        if (!options.TryGetValue("results", out var resultsPath) || !options.TryGetValue("out", out var outPath))
        {
            return Usage("report needs --results <results.json> and --out <file.md>");
        }

        // Several result files (e.g. the small sizes and the `--n all` run) merge into one benchmark.
        var runs = resultsPath.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(EvaluationResultsFile.Read).ToArray();
        var first = runs[0].Settings;
        var run = new EvaluationRun(
            runs.SelectMany(r => r.Results).ToArray(),
            first with
            {
                Sizes = runs.SelectMany(r => r.Settings.Sizes).Distinct().ToArray(),
                Seeds = runs.SelectMany(r => r.Settings.Seeds).Distinct().Order().ToArray(),
                Modes = runs.SelectMany(r => r.Settings.Modes).Distinct().ToArray(),
            });
        if (options.TryGetValue("json-out", out var jsonOut))
        {
            EvaluationResultsFile.Write(jsonOut, run);
        }

        var budgets = runs.Select(r => r.Settings.TimeBudgetSeconds).Distinct().ToArray();
        var summary = new EvaluationSummary(run.Results);
        var chart = Path.ChangeExtension(outPath, ".png");
        var title = options.GetValueOrDefault("title");
        var text = new StringBuilder();
        if (budgets.Length > 1)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Search budgets per training differ by run: {string.Join(" / ", runs.Select(r => $"{r.Settings.TimeBudgetSeconds:0.#} s for n = {string.Join(",", r.Settings.Sizes.Select(EvaluationResult.FormatN))}"))}.").AppendLine();
        }

        if (options.TryGetValue("baseline-accuracy", out var baselineText))
        {
            var baseline = double.Parse(baselineText, CultureInfo.InvariantCulture);
            var name = options.GetValueOrDefault("baseline-name", "published baseline");
            text.AppendLine("## Sanity check against a published baseline").AppendLine();
            var all = summary.Accuracy(GoldOnlySource.ModeName, null);
            if (all.Count == 0)
            {
                text.AppendLine("No gold-only result with every training clip (`--n all`) to compare.");
            }
            else
            {
                var gap = all.Mean - baseline;
                text.AppendLine(CultureInfo.InvariantCulture, $"Gold-only with every training clip: {EvaluationReport.Points(all.Mean)} % ({all.Count} seed{(all.Count == 1 ? string.Empty : "s")}) against {EvaluationReport.Points(baseline)} % for the {name}: "
                    + $"{(gap >= 0 ? "exceeds it by" : "falls short by")} {EvaluationReport.Points(Math.Abs(gap))} points.");
            }

            text.AppendLine();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
        var scratch = Path.Combine(Path.GetTempPath(), $"accuracy-report-{Guid.NewGuid():N}");
        EvaluationReport.Write(run, scratch, title);
        File.Copy(Path.Combine(scratch, EvaluationReport.ChartFileName), chart, overwrite: true);
        Directory.Delete(scratch, recursive: true);
        var markdown = EvaluationReport.Markdown(run, summary, Path.GetFileName(chart), title);
        // The sanity check goes right under the settings, before the tables.
        var insertAt = markdown.IndexOf("![", StringComparison.Ordinal);
        File.WriteAllText(outPath, insertAt < 0 ? markdown + text : markdown.Insert(insertAt, text.ToString()));
        Console.WriteLine($"wrote {outPath}");
        return 0;
    }

    private static (List<string> Positional, Dictionary<string, string> Options) Parse(string[] args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        return (positional, options);
    }

    private static int Usage(string why)
    {
        Console.Error.WriteLine($"usage: {why}");
        return 2;
    }

    private sealed class ConsoleReporter : IPipelineReporter
    {
        private int _lastPercent = -1;

        public void Report(Diagnostic diagnostic) =>
            Console.Error.WriteLine($"{diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Code}: {diagnostic.Message}");

        public void Progress(string stage, int done, int total)
        {
            var percent = total == 0 ? 100 : done * 100 / total;
            if (stage == "evaluate" && percent != _lastPercent)
            {
                _lastPercent = percent;
                Console.WriteLine($"[{stage}] {done}/{total}");
            }
        }

        public void Info(string message)
        {
            if (!message.Contains("trainer search:", StringComparison.Ordinal))
            {
                Console.WriteLine(message);
            }
        }
    }
}
