using System.Text.Json;
using Synthio.Tests;

namespace Synthio.Cli.Tests;

/// <summary><c>--threshold auto</c>: every label gets its own threshold, recorded in the manifest and applied.</summary>
public sealed class ThresholdTests
{
    [Fact]
    public void AutoGivesEachLabelItsOwnThresholdAndKeepsOnlyClipsAtOrAboveIt()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"), clipsPerLabel: 4);

        var result = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out"), "--multiplier", "2", "--threshold", "auto", "--cache-dir", temp.Combine("cache"));

        Assert.True(result.ExitCode == 0, result.All);
        var manifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("out", "manifest.json"))).RootElement;
        var settings = manifest.GetProperty("settings");
        Assert.Equal("auto", settings.GetProperty("threshold").GetString());
        var thresholds = manifest.GetProperty("stats").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("threshold").GetDouble());
        Assert.Equal(manifest.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).Order(), thresholds.Keys.Order());
        Assert.All(thresholds.Values, t => Assert.InRange(t, 0.0, 0.85));
        var synthetic = manifest.GetProperty("clips").EnumerateArray().Where(c => c.GetProperty("origin").GetString() == "synthetic").ToList();
        Assert.NotEmpty(synthetic);
        Assert.All(synthetic, c => Assert.True(
            c.GetProperty("score").GetDouble() >= thresholds[c.GetProperty("label").GetString()!],
            $"{c.GetProperty("path").GetString()} scored below its label's threshold"));
        Assert.Contains("score threshold per label (auto", result.All);
    }

    [Fact]
    public void AFixedThresholdIsRecordedAsANumberAndIsEveryLabelsThreshold()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));

        var result = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out"), "--multiplier", "1", "--threshold", "0.3", "--cache-dir", temp.Combine("cache"));

        Assert.True(result.ExitCode == 0, result.All);
        var manifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("out", "manifest.json"))).RootElement;
        Assert.Equal(0.3, manifest.GetProperty("settings").GetProperty("threshold").GetDouble(), 12);
        Assert.All(manifest.GetProperty("stats").EnumerateObject(), p => Assert.Equal(0.3, p.Value.GetProperty("threshold").GetDouble(), 12));
    }

    [Fact]
    public void AFixedThresholdThatRejectsMostClipsSuggestsAuto()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));

        var result = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out"), "--multiplier", "2", "--threshold", "1", "--reflection-rounds", "0", "--cache-dir", temp.Combine("cache"), "--log-format", "msbuild");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("warning SYN3001", result.Error);
        Assert.Contains("Threshold=auto (--threshold auto)", result.Error);
    }

    [Theory]
    [InlineData("high")]
    [InlineData("1.5")]
    public void AThresholdThatIsNeitherAutoNorAScoreIsBadUsage(string value)
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var result = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out"), "--threshold", value, "--cache-dir", temp.Combine("cache"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--threshold: threshold '{value}'", result.Error);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }
}
