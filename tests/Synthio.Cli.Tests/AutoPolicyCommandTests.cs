using System.Text.Json;
using System.Text.RegularExpressions;
using Synthio.Tests;

namespace Synthio.Cli.Tests;

/// <summary><c>--multiplier auto</c> (the default) through the command line: augment chooses, train reports why.</summary>
public sealed class AutoPolicyCommandTests
{
    [Fact]
    public void AugmentChoosesAPolicyAndTheTrainReportSaysWhy()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"), clipsPerLabel: 5);
        var cache = temp.Combine("cache");
        var output = temp.Combine("out");

        // No --multiplier: auto is the default.
        var augment = CliRunner.Run(temp.Path, "augment", data, "--out", output, "--holdout", "0.2", "--policy-budget", "60", "--cache-dir", cache);
        Assert.True(augment.ExitCode == 0, augment.All);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json"))).RootElement;
        var policy = manifest.GetProperty("policy").GetString()!;
        var search = manifest.GetProperty("policySearch");
        Assert.Equal(policy, search.GetProperty("chosen").GetString());
        Assert.Equal("auto", manifest.GetProperty("settings").GetProperty("multiplier").GetString());
        Assert.Contains($"policy {policy} (chosen automatically", augment.Error);

        // Every fold's manifest is where the decision says it is, and reads only that fold's training clips.
        foreach (var fold in search.GetProperty("foldSets").EnumerateArray())
        {
            var foldManifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, fold.GetProperty("manifest").GetString()!))).RootElement;
            var validation = fold.GetProperty("validation").EnumerateArray().Select(v => v.GetString()).ToHashSet();
            Assert.DoesNotContain(foldManifest.GetProperty("clips").EnumerateArray(), c => validation.Contains(c.GetProperty("key").GetString()));
        }

        var report = temp.Combine("report", "tones.report.md");
        var train = CliRunner.Run(temp.Path, "train", data, "--synthetic", output, "--model", temp.Combine("model.zip"), "--report", report, "--name", "tones", "--time-budget", "2", "--cache-dir", cache);
        Assert.True(train.ExitCode == 0, train.All);
        var text = File.ReadAllText(report);
        Assert.Contains("# Synthio build report: tones", text);
        Assert.Contains("## Why this much augmentation", text);
        Assert.Contains($"**{policy}** (chosen)", text);
        Assert.Contains($"Augmentation: {policy}, chosen automatically", text);

        // One line says what the run produced, under the given name; a build shows it at its default verbosity.
        Assert.Matches($@"(?m)^tones: {Regex.Escape(policy)}; held-out accuracy \d+\.\d % \(gold-only \d+\.\d %\) on \d+ clips; model {Regex.Escape(temp.Combine("model.zip"))} \(\w+\)$", train.All);

        // Unchanged data: the decision comes from the cache, and a fixed number skips the search.
        var again = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out2"), "--holdout", "0.2", "--policy-budget", "60", "--cache-dir", cache);
        Assert.True(again.ExitCode == 0, again.All);
        var steps = JsonDocument.Parse(File.ReadAllText(temp.Combine("out2", "manifest.json"))).RootElement.GetProperty("steps");
        Assert.Equal(1, steps.GetProperty("policy").GetProperty("reused").GetInt32());
        var fixedRun = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out3"), "--multiplier", "classic:2", "--holdout", "0.2", "--cache-dir", cache, "--log-format", "plain");
        Assert.True(fixedRun.ExitCode == 0, fixedRun.All);
        var fixedManifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("out3", "manifest.json"))).RootElement;
        Assert.False(fixedManifest.TryGetProperty("policySearch", out _));
        Assert.Equal("classic×2", fixedManifest.GetProperty("policy").GetString());
        var trainClips = fixedManifest.GetProperty("clips").EnumerateArray().Count(c => c.GetProperty("origin").GetString() == "gold" && c.GetProperty("split").GetString() == "train");
        Assert.Equal(2 * trainClips, fixedManifest.GetProperty("clips").EnumerateArray().Count(c => c.GetProperty("origin").GetString() == "classic"));
        Assert.Equal(2 * trainClips, Directory.GetFiles(temp.Combine("out3"), "cls-*.wav", SearchOption.AllDirectories).Length);

        // Classic copies alone need none of Synthio's stages: nothing is captioned, scored or generated, and no
        // empty generation progress is shown.
        Assert.Equal(JsonValueKind.Null, fixedManifest.GetProperty("settings").GetProperty("scorer").ValueKind);
        Assert.Equal(JsonValueKind.Null, fixedManifest.GetProperty("settings").GetProperty("generator").ValueKind);
        Assert.DoesNotContain("caption", fixedManifest.GetProperty("steps").EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain("fitting the label-consistency scorer", fixedRun.All);
        Assert.DoesNotContain("generate:", fixedRun.All);
        Assert.Contains($"classic: {2 * trainClips}/{2 * trainClips}", fixedRun.All);

        // The classic chain's envelope share reaches the copies: 0 (every shift scales the spectrum) makes other
        // copies, recorded in the manifest; the default again reuses the first run's copies.
        var scaled = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out4"), "--multiplier", "classic:2", "--holdout", "0.2", "--classic-keep-envelope", "0", "--cache-dir", cache);
        Assert.True(scaled.ExitCode == 0, scaled.All);
        var scaledManifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("out4", "manifest.json"))).RootElement;
        Assert.Equal(0, scaledManifest.GetProperty("settings").GetProperty("classicKeepEnvelope").GetDouble());
        Assert.Equal(1, fixedManifest.GetProperty("settings").GetProperty("classicKeepEnvelope").GetDouble());
        static string[] CopyHashes(string dir) => Directory.GetFiles(dir, "cls-*.wav", SearchOption.AllDirectories)
            .Select(f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))).Order(StringComparer.Ordinal).ToArray();
        Assert.Empty(CopyHashes(temp.Combine("out4")).Intersect(CopyHashes(temp.Combine("out3"))));
        var kept = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out5"), "--multiplier", "classic:2", "--holdout", "0.2", "--classic-keep-envelope", "1", "--cache-dir", cache);
        Assert.True(kept.ExitCode == 0, kept.All);
        Assert.Equal(CopyHashes(temp.Combine("out3")), CopyHashes(temp.Combine("out5")));
    }

    [Theory]
    [InlineData("--policy-budget", "0")]
    [InlineData("--multiplier", "sometimes")]
    [InlineData("--multiplier", "-2")]
    [InlineData("--classic-keep-envelope", "1.5")]
    [InlineData("--classic-keep-envelope", "-0.1")]
    public void BadPolicySettingsAreUsageErrors(string option, string value)
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var result = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out"), option, value, "--no-cache");
        Assert.True(result.ExitCode == 2, result.All);
        Assert.Contains(option, result.Error);
    }
}
