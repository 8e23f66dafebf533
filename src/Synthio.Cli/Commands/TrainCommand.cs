using System.CommandLine;
using Synthio.Caching;
using Synthio.Cli.Backends;
using Synthio.Cli.Reporting;
using Synthio.Evaluation;
using Synthio.Generation;
using Synthio.Pipeline;
using static System.FormattableString;

namespace Synthio.Cli.Commands;

/// <summary>
/// <c>dotnet synthio train &lt;dataset&gt; [--synthetic &lt;augment-out&gt;] --model &lt;file.zip&gt;</c>: trains the
/// classifier with the trainer search and, when clips are held out, reports gold-only against augmented.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "The dataset (folder of label folders or CSV)." };
        var synthetic = new Option<string?>("--synthetic") { Description = "Output folder of 'augment' (its manifest says which clips are synthetic and which are held out)." };
        var model = new Option<string>("--model") { Description = "Where to write the trained model (.zip).", Required = true };
        var budget = new Option<double>("--time-budget") { Description = "Seconds of trainer search per model (gold-only and augmented get the same).", DefaultValueFactory = _ => 20 };
        var report = new Option<string?>("--report") { Description = "Write a report (markdown, plus an HTML page and a chart beside it)." };
        var holdout = new Option<double>("--holdout") { Description = "Share of each label held out for the report when there is no augmentation manifest.", DefaultValueFactory = _ => 0.0 };
        var trials = new Option<string?>("--trial-log") { Description = "Append every search trial to this JSON-lines file." };
        var name = new Option<string?>("--name") { Description = "The dataset's name in the report and the result line (default: its folder's or CSV file's name)." };
        var command = new Command("train", "Train a sound classifier (automatic trainer and hyper-parameter search on ML.NET).");
        command.Arguments.Add(dataset);
        command.Options.Add(synthetic);
        command.Options.Add(model);
        command.Options.Add(budget);
        command.Options.Add(SharedOptions.Seed);
        command.Options.Add(report);
        command.Options.Add(holdout);
        command.Options.Add(SharedOptions.GroupPattern);
        command.Options.Add(SharedOptions.AllowOutsidePaths);
        command.Options.Add(trials);
        command.Options.Add(name);
        command.Options.Add(SharedOptions.ClassWeights);
        command.Options.Add(BackendOptions.Embedder);
        command.Options.Add(BackendOptions.Device);
        command.Options.Add(SharedOptions.CacheDir);
        command.Options.Add(SharedOptions.NoCache);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async reporter =>
        {
            var seconds = parse.GetValue(budget);
            if (seconds <= 0)
            {
                throw CommandRunner.Usage("--time-budget must be positive");
            }

            var classWeighting = SharedOptions.ClassWeighting(parse);

            string? manifestPath = null;
            if (parse.GetValue(synthetic) is { Length: > 0 } augmentOut)
            {
                manifestPath = Path.Combine(augmentOut, AugmentManifest.FileName);
                if (!File.Exists(manifestPath))
                {
                    throw CommandRunner.Usage($"--synthetic: '{manifestPath}' does not exist; run 'dotnet synthio augment' first");
                }
            }

            var embedder = BackendFactory.OpenEmbedder(parse, reporter);
            using var cache = SharedOptions.OpenCache(parse, reporter);
            var run = new ClassifierTrainingRun(cache, reporter);
            var result = await Task.Run(
                () => run.RunAsync(
                    parse.GetValue(dataset)!,
                    manifestPath,
                    new TrainingRunOptions
                    {
                        TimeBudget = TimeSpan.FromSeconds(seconds),
                        Seed = parse.GetValue(SharedOptions.Seed),
                        HoldoutFraction = parse.GetValue(holdout),
                        GroupPattern = parse.GetValue(SharedOptions.GroupPattern),
                        AllowOutsidePaths = parse.GetValue(SharedOptions.AllowOutsidePaths),
                        TrialLogPath = parse.GetValue(trials),
                        Embedder = embedder,
                        ClassWeighting = classWeighting,
                    },
                    ct),
                ct).ConfigureAwait(false);

            var modelPath = Path.GetFullPath(parse.GetValue(model)!);
            Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
            result.Shipped.Save(modelPath);
            if (cache.Store is not null)
            {
                CacheMaintenance.RecordRun(cache.Store.Root, "train", cache);
            }

            var manifest = manifestPath is null ? null : AugmentManifest.Load(manifestPath);
            var datasetName = parse.GetValue(name) is { Length: > 0 } given
                ? given
                : Path.GetFileNameWithoutExtension(Path.GetFullPath(parse.GetValue(dataset)!).TrimEnd(Path.DirectorySeparatorChar));
            if (parse.GetValue(report) is { Length: > 0 } reportPath)
            {
                var counts = result.Counts.Select(p => new LabelCounts(p.Key, p.Value.GoldTrain, p.Value.Synthetic, p.Value.GoldTest)).ToArray();
                var data = result.Comparison is { } comparison
                    ? BuildReportData.From(datasetName, comparison, counts, seconds, HoldoutDescription(manifestPath), modelPath) with { Policy = manifest?.Policy, PolicySearch = manifest?.PolicySearch, Generation = Generation(manifest) }
                    : new BuildReportData
                    {
                        ProjectName = datasetName,
                        Counts = counts,
                        BestTrainer = result.ShippedSearch.BestTrainer,
                        BestParameters = result.ShippedSearch.BestParameters,
                        CrossValidationScore = result.ShippedSearch.BestScore,
                        Trials = result.ShippedSearch.Trials.Count,
                        TrainerSelection = result.ShippedSearch.Selection,
                        ClassWeights = result.ShippedSearch.ClassWeights,
                        TimeBudgetSeconds = seconds,
                        ModelPath = modelPath,
                        Policy = manifest?.Policy,
                        PolicySearch = manifest?.PolicySearch,
                        Generation = Generation(manifest),
                    };
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
                var html = BuildReport.Write(data, Path.GetFullPath(reportPath));
                reporter.Info($"report: {Path.GetFullPath(reportPath)} ({html})");
            }

            reporter.Result(Headline(datasetName, manifest?.Policy, result, modelPath));
            return CommandRunner.Success;
        }));
        return command;
    }

    /// <summary>What the run produced, in one line: the policy, the held-out accuracy against gold-only, and the model.</summary>
    private static string Headline(string name, string? policy, TrainingRunResult result, string modelPath)
    {
        var used = policy is null ? string.Empty : $"{policy}; ";
        var search = result.ShippedSearch;
        var (heldOut, trainer) = result.Comparison switch
        {
            { AugmentedMetrics: { } augmented } c => (Invariant($"held-out accuracy {augmented.Accuracy:P1} (gold-only {c.GoldOnlyMetrics.Accuracy:P1}) on {result.TestClips} clips{Uneven(augmented, c.GoldOnlyMetrics)}; "), search.BestTrainer),
            { } c => (Invariant($"held-out accuracy {c.GoldOnlyMetrics.Accuracy:P1} on {result.TestClips} clips{Uneven(c.GoldOnlyMetrics, null)}; "), search.BestTrainer),
            null => (string.Empty, Invariant($"{search.BestTrainer}, cross-validated macro accuracy {search.BestScore:P1}; no clips held out")),
        };
        return $"{name}: {used}{heldOut}model {modelPath} ({trainer})";
    }

    // Plain accuracy on unevenly held-out labels favours a model that leans towards the larger ones.
    private static string Uneven(ClassificationMetrics shipped, ClassificationMetrics? goldOnly) =>
        !shipped.IsUneven ? string.Empty
        : goldOnly is null ? Invariant($", unevenly spread: mean recall {shipped.MeanRecall:P1}")
        : Invariant($", unevenly spread: mean recall {shipped.MeanRecall:P1} (gold-only {goldOnly.MeanRecall:P1})");

    private static IReadOnlyList<LabelGenerationStats> Generation(AugmentManifest? manifest) =>
        manifest is null ? [] : manifest.Stats.Values.ToArray();

    private static string HoldoutDescription(string? manifestPath)
    {
        if (manifestPath is null)
        {
            return "a stratified share of each label, chosen by file-name hash";
        }

        var manifest = AugmentManifest.Load(manifestPath);
        var share = manifest.Settings.TryGetValue("holdout", out var value) ? value?.ToString() : null;
        var groups = manifest.Settings.TryGetValue("groupPattern", out var pattern) && pattern?.ToString() is { Length: > 0 } p
            ? $", whole groups of the group pattern '{p}' at a time"
            : string.Empty;
        return $"{share ?? "a"} share of each label's clips, chosen by file-name hash{groups}; generation never saw them";
    }
}
