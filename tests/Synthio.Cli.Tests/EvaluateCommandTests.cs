using System.Text.Json;
using Synthio.Tests;

namespace Synthio.Cli.Tests;

/// <summary><c>dotnet synthio evaluate</c> through the command line: the seeds it runs and the files it writes.</summary>
public sealed class EvaluateCommandTests
{
    /// <summary>
    /// Runs evaluate on a six-clips-per-label tone dataset with a third of each label held out and the
    /// reference trainer (one trial), writing to <c>out</c>; <paramref name="arguments"/> add the rest.
    /// </summary>
    private static (ProcessResult Run, string Output) Evaluate(TempDirectory temp, params string[] arguments)
    {
        var data = CliRunner.WriteToneDataset(temp.Combine("data"), clipsPerLabel: 6);
        var output = temp.Combine("out");
        var run = CliRunner.Run(
            temp.Path,
            ["evaluate", data, "--split", "stratified:0.34", "--trainers", "LbfgsMaximumEntropy", "--max-trials", "1", "--out", output, "--cache-dir", temp.Combine("cache"), .. arguments]);
        Assert.True(run.ExitCode == 0, run.All);
        return (run, output);
    }

    [Fact]
    public void FirstSeedRunsALaterPartOfTheSeedsSoPartsCanBeMerged()
    {
        using var temp = new TempDirectory();
        var (_, output) = Evaluate(temp, "--n", "2", "--seeds", "2", "--first-seed", "3", "--modes", "gold,classic:1");
        var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))).RootElement;
        var seeds = results.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("seed").GetInt32()).ToHashSet();
        Assert.Equal(new HashSet<int> { 3, 4 }, seeds);
        Assert.Equal(new[] { 3, 4 }, results.GetProperty("settings").GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(4, results.GetProperty("results").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(output, "report.md")));
    }

    [Fact]
    public void TheGroupPatternAndThresholdAreAppliedAndRecordedWithTheResults()
    {
        using var temp = new TempDirectory();
        var (run, output) = Evaluate(temp, "--n", "2", "--seeds", "1", "--group-pattern", @"-(\d)\.wav$", "--threshold", "auto", "--modes", "gold", "--log-format", "plain");
        Assert.Contains("12 of 12 clips in 12 groups", run.All);
        var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))).RootElement.GetProperty("settings");
        Assert.Equal(@"-(\d)\.wav$", settings.GetProperty("group_pattern").GetString());
        Assert.Equal("auto", settings.GetProperty("threshold").GetString());
        Assert.Equal(new[] { "LbfgsMaximumEntropy" }, settings.GetProperty("trainers").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(1, settings.GetProperty("max_trials").GetInt32());
    }

    [Fact]
    public void TheClassicModeTrainsOnTheBuildsOwnClassicCopies()
    {
        using var temp = new TempDirectory();
        var (_, output) = Evaluate(temp, "--n", "3", "--seeds", "2", "--multiplier", "2", "--modes", "gold,classic,classic:2", "--work-dir", temp.Combine("work"));

        // Per seed, the same classic copies (content keys) as the build makes for classic:2.
        static string[] CopyKeys(string manifest) => JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("clips").EnumerateArray()
            .Where(c => c.GetProperty("origin").GetString() == "classic").Select(c => c.GetProperty("key").GetString()!).Order(StringComparer.Ordinal).ToArray();
        var classicRuns = Directory.GetFiles(temp.Combine("work", "classic"), "manifest.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var policyRuns = Directory.GetFiles(Directory.GetDirectories(temp.Combine("work"), "classic_2*").Single(), "manifest.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, classicRuns.Length);
        Assert.Equal(classicRuns.Select(Path.GetDirectoryName).Select(Path.GetFileName), policyRuns.Select(Path.GetDirectoryName).Select(Path.GetFileName));
        for (var i = 0; i < classicRuns.Length; i++)
        {
            Assert.NotEmpty(CopyKeys(classicRuns[i]));
            Assert.Equal(CopyKeys(policyRuns[i]), CopyKeys(classicRuns[i]));
        }

        var rows = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))).RootElement.GetProperty("results").EnumerateArray()
            .ToLookup(r => r.GetProperty("mode").GetString());
        Assert.Equal(2, rows["classic"].Count());
        foreach (var classic in rows["classic"])
        {
            var policy = rows["classic×2"].Single(r => r.GetProperty("seed").GetInt32() == classic.GetProperty("seed").GetInt32());
            Assert.Equal(2 * classic.GetProperty("gold_clips").GetInt32(), classic.GetProperty("synthetic_clips").GetInt32());
            Assert.Equal(policy.GetProperty("synthetic_clips").GetInt32(), classic.GetProperty("synthetic_clips").GetInt32());
            Assert.Equal(policy.GetProperty("accuracy").GetDouble(), classic.GetProperty("accuracy").GetDouble());
            Assert.Equal(policy.GetProperty("cv_score").GetDouble(), classic.GetProperty("cv_score").GetDouble());
        }
    }

    [Fact]
    public void ANegativeFirstSeedIsAUsageError()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var run = CliRunner.Run(temp.Path, "evaluate", data, "--first-seed", "-1", "--out", temp.Combine("out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--first-seed", run.Error);
    }
}
