using System.CommandLine;
using Synthio.Cli.Backends;
using Synthio.Cli.Reporting;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Evaluation;
using Synthio.Features;
using Synthio.Filtering;
using Synthio.Generation;
using Synthio.Pipeline;
using Synthio.Policy;

namespace Synthio.Cli.Commands;

/// <summary>
/// <c>dotnet synthio evaluate &lt;dataset&gt; --out &lt;dir&gt;</c>: measures what each augmentation mode buys on
/// held-out real audio, for several training-set sizes and seeds, with the same search budget everywhere.
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>Classic copies at --multiplier, exactly as a build with <c>Multiplier="classic:N"</c> makes them.</summary>
    private const string ClassicMode = "classic";

    public static readonly IReadOnlyList<string> SynthioModes = new[] { "synthio", "synthio-no-mixcap", "synthio-no-filter", "synthio-no-reflection", "synthio-no-alignment" };

    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "The dataset (folder of label folders or CSV)." };
        var sizes = new Option<string>("--n") { Description = "Clips per label in the drawn training sets: a list such as 2,5,10, or all.", DefaultValueFactory = _ => "2,5,10" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per size (0, 1, … ); use at least 5 for figures that decide anything.", DefaultValueFactory = _ => 3 };
        var firstSeed = new Option<int>("--first-seed") { Description = "First seed (seeds run from it, --seeds of them): lets a long evaluation run in parts whose results.json files are merged.", DefaultValueFactory = _ => 0 };
        var modes = new Option<string>("--modes") { Description = $"Modes to compare: gold, classic, {string.Join(", ", SynthioModes)}, auto (the automatic policy), fixed policies such as classic:4, synthio:2, both:8, or {EvaluationRunner.ZeroShotMode} (CLAP labels the test clips with no training; needs --scorer clap:<dir>).", DefaultValueFactory = _ => "gold,classic,synthio" };
        var split = new Option<string>("--split") { Description = "Held-out split: esc-fold:<k>, esc-fold:all, esc-fold:<first>-<last> (rotate within those folds only, e.g. 2-5 to tune without fold 1), fsdd or stratified:<test-fraction>.", DefaultValueFactory = _ => "stratified:0.2" };
        var budget = new Option<double>("--time-budget") { Description = "Seconds of trainer search per trained model.", DefaultValueFactory = _ => 10 };
        var multiplier = new Option<int>("--multiplier") { Description = "Augmented clips per gold clip, for classic and synthio alike.", DefaultValueFactory = _ => 3 };
        var maxTrials = new Option<int?>("--max-trials") { Description = "Cap on search trials per model (makes runs exactly repeatable)." };
        var trainers = new Option<string?>("--trainers") { Description = "Trainers the search may use, comma-separated (default: all)." };
        var outDir = new Option<string>("--out") { Description = "Folder for results.json, report.md and the chart.", Required = true };
        var workDir = new Option<string?>("--work-dir") { Description = "Folder for the synthetic clips of each run (default: <out>/work)." };
        var command = new Command("evaluate", "Measure gold-only vs classic vs Synthio augmentation on held-out real audio.");
        command.Arguments.Add(dataset);
        command.Options.Add(sizes);
        command.Options.Add(seeds);
        command.Options.Add(firstSeed);
        command.Options.Add(modes);
        command.Options.Add(split);
        command.Options.Add(SharedOptions.GroupPattern);
        command.Options.Add(SharedOptions.AllowOutsidePaths);
        command.Options.Add(budget);
        command.Options.Add(multiplier);
        command.Options.Add(maxTrials);
        command.Options.Add(trainers);
        command.Options.Add(AugmentCommand.PolicyBudget);
        command.Options.Add(outDir);
        command.Options.Add(workDir);
        BackendOptions.AddTo(command);
        command.Options.Add(AugmentCommand.Threshold);
        command.Options.Add(AugmentCommand.ReflectionRounds);
        command.Options.Add(SharedOptions.ClassicKeepEnvelope);
        command.Options.Add(SharedOptions.CacheDir);
        command.Options.Add(SharedOptions.NoCache);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async reporter =>
        {
            var seedCount = parse.GetValue(seeds);
            if (seedCount < 1)
            {
                throw CommandRunner.Usage("--seeds must be at least 1");
            }

            var seedStart = parse.GetValue(firstSeed);
            if (seedStart < 0)
            {
                throw CommandRunner.Usage("--first-seed must be 0 or more");
            }

            var threshold = AugmentCommand.ParseThreshold(parse);
            var classicChain = SharedOptions.ClassicChain(parse);
            var output = Path.GetFullPath(parse.GetValue(outDir)!);
            Directory.CreateDirectory(output);
            // Groups shape the cross-validation of the auto policy and the trainer search; the named splits
            // (esc-fold, fsdd) are the datasets' own.
            var data = ClipGroupPattern.Apply(DatasetLoader.Load(parse.GetValue(dataset)!, reporter, parse.GetValue(SharedOptions.AllowOutsidePaths)), parse.GetValue(SharedOptions.GroupPattern), reporter);

            using var cache = SharedOptions.OpenCache(parse, reporter);
            var times = parse.GetValue(multiplier);
            var sources = new List<IAugmentationSource>();
            AugmentationPipeline? pipeline = null;
            var backends = BackendOptions.Read(parse);
            IAudioTextScorer? zeroShot = null;
            var modeNames = (parse.GetValue(modes) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

            // Features are for trained modes; a zero-shot-only run classifies with CLAP alone.
            var classifierEmbedder = modeNames.Any(m => m != EvaluationRunner.ZeroShotMode) ? BackendFactory.OpenEmbedder(parse, reporter) : null;

            // One CLAP model serves the zero-shot row and the synthio filter: opening it hashes every model file.
            IAudioTextScorer? clap = null;
            IAudioTextScorer? Clap() => backends.ScorerSpec.StartsWith("clap:", StringComparison.OrdinalIgnoreCase)
                ? clap ??= BackendFactory.OpenClapScorer(backends, reporter)
                : null;

            // Synthio modes and policies share one pipeline (one set of backends, one generation cache).
            async Task<AugmentationPipeline> PipelineAsync() =>
                pipeline ??= new AugmentationPipeline(await BackendFactory.CreateAsync(backends, cache, reporter, ct, Clap()).ConfigureAwait(false), cache, reporter);
            var work = Path.GetFullPath(parse.GetValue(workDir) ?? Path.Combine(output, "work"));
            foreach (var mode in modeNames)
            {
                if (mode == EvaluationRunner.ZeroShotMode)
                {
                    if (!backends.ScorerSpec.StartsWith("clap:", StringComparison.OrdinalIgnoreCase))
                    {
                        throw CommandRunner.Usage($"--modes {EvaluationRunner.ZeroShotMode} needs --scorer clap:<model-dir>: the embedded scorer is fitted on the training clips, so it is not zero-shot");
                    }

                    zeroShot = Clap();
                }
                else if (mode == GoldOnlySource.ModeName)
                {
                    sources.Add(new GoldOnlySource());
                }
                else if (mode == ClassicMode)
                {
                    // The build's own classic copies (classic:<multiplier>), seeded and cached as the build does them.
                    var options = new AugmentOptions { Policy = new AugmentationPolicy(AugmentationSource.Classic, times), Classic = classicChain };
                    sources.Add(new PipelineAugmentationSource(ClassicMode, await PipelineAsync().ConfigureAwait(false), options, work));
                }
                else if (SynthioModes.Contains(mode))
                {
                    var ablations = mode == "synthio" ? GenerationAblations.None : AugmentCommand.ParseAblations(new[] { mode["synthio-".Length..] });
                    var options = new AugmentOptions
                    {
                        Multiplier = times,
                        Threshold = threshold,
                        ReflectionRounds = parse.GetValue(AugmentCommand.ReflectionRounds),
                        Ablations = ablations,
                    };
                    sources.Add(new PipelineAugmentationSource(mode, await PipelineAsync().ConfigureAwait(false), options, work));
                }
                else
                {
                    // 'auto' and fixed policies (classic:4, both:8, ...) run through the pipeline like synthio.
                    bool auto;
                    AugmentationPolicy? policy;
                    try
                    {
                        (auto, policy) = AugmentCommand.ParsePolicy(mode);
                    }
                    catch (SynthioException)
                    {
                        throw CommandRunner.Usage($"--modes: unknown mode '{mode}' (use gold, classic, {string.Join(", ", SynthioModes)}, auto, {EvaluationRunner.ZeroShotMode}, or a policy such as classic:4)");
                    }

                    var options = new AugmentOptions
                    {
                        Policy = policy,
                        AutoPolicy = auto,
                        PolicySearch = new PolicySearchOptions { Budget = TimeSpan.FromSeconds(parse.GetValue(AugmentCommand.PolicyBudget)) },
                        ClassifierEmbedder = classifierEmbedder,
                        Threshold = threshold,
                        ReflectionRounds = parse.GetValue(AugmentCommand.ReflectionRounds),
                        Classic = classicChain,
                    };
                    sources.Add(new PipelineAugmentationSource(auto ? "auto" : policy!.Name, await PipelineAsync().ConfigureAwait(false), options, work));
                }
            }

            var run = await EvaluationRunner.RunAsync(
                data,
                new EvaluationOptions
                {
                    Split = parse.GetValue(split)!,
                    GroupPattern = parse.GetValue(SharedOptions.GroupPattern),
                    Threshold = threshold.ToString(),
                    Sizes = EvaluationOptions.ParseSizes(parse.GetValue(sizes)!),
                    Seeds = Enumerable.Range(seedStart, seedCount).ToArray(),
                    TimeBudget = TimeSpan.FromSeconds(parse.GetValue(budget)),
                    MaxTrials = parse.GetValue(maxTrials),
                    Trainers = parse.GetValue(trainers)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    TrialLogPath = Path.Combine(output, "trials.jsonl"),
                    Embedder = classifierEmbedder,
                    ZeroShotScorer = zeroShot,
                },
                sources,
                reporter,
                ct).ConfigureAwait(false);
            EvaluationResultsFile.Write(Path.Combine(output, "results.json"), run);
            var report = EvaluationReport.Write(run, output, $"Evaluation of {Path.GetFileName(Path.GetFullPath(parse.GetValue(dataset)!).TrimEnd('/'))}");
            reporter.Info($"results: {Path.Combine(output, "results.json")}; report: {report}");
            return CommandRunner.Success;
        }));
        return command;
    }
}
