using System.CommandLine;
using Synthio.Caching;
using Synthio.Cli.Backends;
using Synthio.Datasets;
using Synthio.Filtering;
using Synthio.Generation;
using Synthio.Pipeline;
using Synthio.Policy;

namespace Synthio.Cli.Commands;

/// <summary><c>dotnet synthio augment &lt;dataset&gt; --out &lt;dir&gt;</c>: the Synthio pipeline on one dataset.</summary>
internal static class AugmentCommand
{
    public static readonly Argument<string> Dataset = new("dataset")
    {
        Description = "A folder with one sub-folder per label holding audio files (WAV, AIFF, FLAC, MP3, Ogg Vorbis, Opus in Ogg or WebM), or a CSV of path,label[,split].",
    };

    public static readonly Option<string> Out = new("--out")
    {
        Description = "Folder for manifest.json and the synthetic clips (<label>/<name>.wav). Must be outside the dataset.",
        Required = true,
    };

    public static readonly Option<string> Multiplier = new("--multiplier")
    {
        Description = "How much augmentation: 'auto' (choose by cross-validation on the training clips), a number N (N synthio clips per gold clip), "
            + "or a policy such as classic:4, synthio:2, both:8 or gold-only.",
        DefaultValueFactory = _ => "auto",
    };

    public static readonly Option<double> PolicyBudget = new("--policy-budget")
    {
        Description = "Seconds the automatic policy search (--multiplier auto) may take; candidates it cannot score in time are left out.",
        DefaultValueFactory = _ => PolicySearchOptions.DefaultBudgetSeconds,
    };

    public static readonly Option<string> Threshold = new("--threshold")
    {
        Description = "Label-consistency score a synthetic clip needs to be kept: a number in [0, 1] for every label (the paper's CLAP threshold is 0.85), "
            + "or 'auto': per label, the median score the scorer gives the label's own real clips unseen, at most 0.85.",
        DefaultValueFactory = _ => ScoreThreshold.Paper.ToString(),
    };

    public static readonly Option<int> ReflectionRounds = new("--reflection-rounds")
    {
        Description = "How many times a rejected caption is rewritten and regenerated.",
        DefaultValueFactory = _ => 2,
    };

    public static readonly Option<double> Holdout = new("--holdout")
    {
        Description = "Share of each label's clips held out for measuring (never used for generation). 0 uses every clip.",
        DefaultValueFactory = _ => 0.0,
    };

    public static readonly Option<string[]> Ablate = new("--ablate")
    {
        Description = "Turn parts of the method off for measurement: no-mixcap, no-filter, no-reflection, no-alignment.",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Command Create()
    {
        var command = new Command("augment", "Augment a dataset with label-consistent synthetic clips (Synthio), cached by content.");
        command.Arguments.Add(Dataset);
        command.Options.Add(Out);
        command.Options.Add(Multiplier);
        command.Options.Add(PolicyBudget);
        command.Options.Add(SharedOptions.ClassWeights);
        command.Options.Add(SharedOptions.ClassicKeepEnvelope);
        command.Options.Add(SharedOptions.Seed);
        BackendOptions.AddTo(command);
        command.Options.Add(Threshold);
        command.Options.Add(ReflectionRounds);
        command.Options.Add(Holdout);
        command.Options.Add(SharedOptions.GroupPattern);
        command.Options.Add(SharedOptions.AllowOutsidePaths);
        command.Options.Add(Ablate);
        command.Options.Add(SharedOptions.CacheDir);
        command.Options.Add(SharedOptions.NoCache);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async reporter =>
        {
            var options = ReadOptions(parse);
            if (options.AutoPolicy)
            {
                // Only the policy search trains classifiers here; a fixed policy need not open the embedder.
                options = options with { ClassifierEmbedder = BackendFactory.OpenEmbedder(parse, reporter) };
            }

            using var cache = SharedOptions.OpenCache(parse, reporter);
            var backends = await BackendFactory.CreateAsync(BackendOptions.Read(parse), cache, reporter, ct).ConfigureAwait(false);
            var pipeline = new AugmentationPipeline(backends, cache, reporter);
            var result = await pipeline.RunAsync(parse.GetValue(Dataset)!, parse.GetValue(Out)!, options, ct).ConfigureAwait(false);
            if (cache.Store is not null)
            {
                CacheMaintenance.RecordRun(cache.Store.Root, "augment", cache);
            }

            var m = result.Manifest;
            var synthetic = m.Clips.Count(c => c.Origin == ClipOrigin.Synthetic);
            var classic = m.Clips.Count(c => c.Origin == ClipOrigin.Classic);
            var gold = m.Clips.Count(c => c.Origin == ClipOrigin.Gold);
            var why = m.PolicySearch is { } decision ? $" (chosen automatically: {decision.Reason})" : string.Empty;
            reporter.Info($"policy {m.Policy}{why}");
            reporter.Info($"{synthetic} synthetic and {classic} classic clips for {gold} gold clips in {m.Labels.Count} labels: {m.Generated} generated, {m.Reused} reused from the cache; manifest {result.ManifestPath}");
            return CommandRunner.Success;
        }));
        return command;
    }

    public static AugmentOptions ReadOptions(ParseResult parse)
    {
        var (auto, policy) = ParsePolicy(parse.GetValue(Multiplier));
        var policyBudget = parse.GetValue(PolicyBudget);
        if (!(policyBudget > 0))
        {
            throw CommandRunner.Usage("--policy-budget must be a positive number of seconds");
        }

        var threshold = ParseThreshold(parse);

        var holdout = parse.GetValue(Holdout);
        if (holdout is < 0 or >= 1)
        {
            throw CommandRunner.Usage("--holdout must be at least 0 and below 1");
        }

        var rounds = parse.GetValue(ReflectionRounds);
        if (rounds < 0)
        {
            throw CommandRunner.Usage("--reflection-rounds must be 0 or more");
        }

        // A bad pattern fails before anything is read or written.
        var groupPattern = parse.GetValue(SharedOptions.GroupPattern);
        ClipGroupPattern.Parse(groupPattern);

        return new AugmentOptions
        {
            Multiplier = policy?.SynthioCopies ?? 0,
            Policy = policy,
            AutoPolicy = auto,
            PolicySearch = new PolicySearchOptions { Budget = TimeSpan.FromSeconds(policyBudget), ClassWeighting = SharedOptions.ClassWeighting(parse) },
            Seed = parse.GetValue(SharedOptions.Seed),
            Threshold = threshold,
            ReflectionRounds = rounds,
            HoldoutFraction = holdout,
            AllowOutsidePaths = parse.GetValue(SharedOptions.AllowOutsidePaths),
            GroupPattern = groupPattern,
            Ablations = ParseAblations(parse.GetValue(Ablate) ?? Array.Empty<string>()),
            Classic = SharedOptions.ClassicChain(parse),
        };
    }

    /// <summary>The <c>--threshold</c> value: <c>auto</c> or a number in [0, 1]; bad usage otherwise.</summary>
    public static ScoreThreshold ParseThreshold(ParseResult parse) =>
        ScoreThreshold.TryParse(parse.GetValue(Threshold), out var error) ?? throw CommandRunner.Usage($"--threshold: {error}");

    /// <summary><c>auto</c>, a plain count (synthio copies), or a policy name.</summary>
    public static (bool Auto, AugmentationPolicy? Policy) ParsePolicy(string? text)
    {
        var value = (text ?? string.Empty).Trim();
        if (value.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return (true, null);
        }

        if (int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var count))
        {
            if (count < 0)
            {
                throw CommandRunner.Usage("--multiplier must be 'auto', 0 or more, or a policy such as classic:4");
            }

            return (false, count == 0 ? AugmentationPolicy.GoldOnly : new AugmentationPolicy(AugmentationSource.Synthio, count));
        }

        try
        {
            return (false, AugmentationPolicy.Parse(value));
        }
        catch (Diagnostics.SynthioException ex)
        {
            throw CommandRunner.Usage($"--multiplier: {ex.Message}, or 'auto'");
        }
    }

    public static GenerationAblations ParseAblations(IEnumerable<string> words)
    {
        try
        {
            return GenerationAblations.Parse(string.Join(',', words));
        }
        catch (FormatException ex)
        {
            throw CommandRunner.Usage($"--ablate: {ex.Message}");
        }
    }
}
