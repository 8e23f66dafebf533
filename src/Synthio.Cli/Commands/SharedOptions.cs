using System.CommandLine;
using Synthio.Augmentation;
using Synthio.Caching;
using Synthio.Diagnostics;
using Synthio.Training;

namespace Synthio.Cli.Commands;

/// <summary>Options several commands share, so their names and help read the same everywhere.</summary>
internal static class SharedOptions
{
    public static readonly Option<string?> CacheDir = new("--cache-dir")
    {
        Description = $"Cache folder (default: ${CacheLocation.EnvironmentVariable}, else ~/.synthio/cache). Shareable by many projects and builds.",
    };

    public static readonly Option<bool> NoCache = new("--no-cache")
    {
        Description = "Compute everything afresh and write nothing to the cache.",
    };

    public static readonly Option<string?> GroupPattern = new("--group-pattern")
    {
        Description = "Regular expression on each clip's path within its label folder (or the CSV's folder); clips of a label whose match "
            + "(its first capture group, if any) is the same are near-duplicates, e.g. takes of one recording or one speaker, and every split keeps them together. "
            + "Example: '^([a-z]+)_' groups 'george_3.wav' with 'george_7.wav'.",
    };

    public static readonly Option<bool> AllowOutsidePaths = new("--allow-outside-paths")
    {
        Description = "Allow CSV rows that point outside the CSV's folder.",
    };

    public static readonly Option<int> Seed = new("--seed")
    {
        Description = "Seed for every random choice; the same seed gives the same result.",
        DefaultValueFactory = _ => 0,
    };

    public static readonly Option<string> ClassWeights = new("--class-weights")
    {
        Description = "balanced (default): a label with fewer gold clips weighs more in training, so every label counts alike; none: every clip counts once.",
        DefaultValueFactory = _ => "balanced",
    };

    public static readonly Option<double> ClassicKeepEnvelope = new("--classic-keep-envelope")
    {
        Description = "Share of classic copies whose pitch shift keeps the spectral envelope (a voice's formants); the others scale every frequency. "
            + "1 (default) suits speech; 0 suits environmental sounds, where a shifted resonance is just a larger or smaller source.",
        DefaultValueFactory = _ => 1.0,
    };

    /// <summary>The classic chain the <c>--classic-keep-envelope</c> setting asks for; a share outside [0, 1] is a usage error.</summary>
    public static ClassicAugmentationSettings ClassicChain(System.CommandLine.ParseResult parse)
    {
        var share = parse.GetValue(ClassicKeepEnvelope);
        return share is >= 0 and <= 1
            ? ClassicAugmentationSettings.Default with { PitchShiftKeepsEnvelopeProbability = share }
            : throw CommandRunner.Usage($"--classic-keep-envelope must be a share between 0 and 1 (got {share.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
    }

    /// <summary>The <c>--class-weights</c> setting; a value other than balanced or none is a usage error.</summary>
    public static ClassWeighting ClassWeighting(System.CommandLine.ParseResult parse) =>
        LabelWeights.Parse(parse.GetValue(ClassWeights))
            ?? throw CommandRunner.Usage($"--class-weights must be balanced or none (got '{parse.GetValue(ClassWeights)}')");

    /// <summary>Opens the step cache the options ask for (none with --no-cache).</summary>
    public static StepCache OpenCache(System.CommandLine.ParseResult parse, IPipelineReporter reporter)
    {
        if (parse.GetValue(NoCache))
        {
            return new StepCache(null, reporter);
        }

        var root = CacheLocation.Resolve(parse.GetValue(CacheDir));
        return new StepCache(new ContentAddressedStore(root, reporter), reporter);
    }
}
