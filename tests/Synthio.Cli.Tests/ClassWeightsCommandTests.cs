using Synthio.Tests;

namespace Synthio.Cli.Tests;

public class ClassWeightsCommandTests
{
    [Fact]
    public void Train_weighs_uneven_labels_by_default_and_says_so_in_its_report()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"), clipsPerLabel: 6);
        foreach (var extra in Directory.GetFiles(Path.Combine(data, "high")).Order(StringComparer.Ordinal).Skip(2))
        {
            File.Delete(extra);
        }

        var cache = temp.Combine("cache");
        var balanced = CliRunner.Run(temp.Path, "train", data, "--model", temp.Combine("a.zip"), "--report", temp.Combine("a.md"), "--time-budget", "2", "--cache-dir", cache);
        var none = CliRunner.Run(temp.Path, "train", data, "--model", temp.Combine("b.zip"), "--report", temp.Combine("b.md"), "--time-budget", "2", "--class-weights", "none", "--cache-dir", cache);
        var bad = CliRunner.Run(temp.Path, "train", data, "--model", temp.Combine("c.zip"), "--class-weights", "inverse", "--cache-dir", cache);

        Assert.True(balanced.ExitCode == 0, balanced.All);
        Assert.Contains("Class weights: labels weighted to count alike: 'high' ×2 (fewest gold clips) to 'low' ×0.67 (most).", File.ReadAllText(temp.Combine("a.md")));
        Assert.True(none.ExitCode == 0, none.All);
        Assert.DoesNotContain("Class weights", File.ReadAllText(temp.Combine("b.md")));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--class-weights must be balanced or none", bad.Error);
    }

    [Fact]
    public void A_report_on_unevenly_spread_held_out_clips_gives_the_mean_of_the_labels_recalls()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"), clipsPerLabel: 9);
        foreach (var extra in Directory.GetFiles(Path.Combine(data, "high")).Order(StringComparer.Ordinal).Skip(4))
        {
            File.Delete(extra);
        }

        var run = CliRunner.Run(temp.Path, "train", data, "--model", temp.Combine("m.zip"), "--report", temp.Combine("r.md"), "--holdout", "0.34", "--time-budget", "2", "--cache-dir", temp.Combine("cache"));

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Matches(@"held-out accuracy [0-9.]+ % on 4 clips, unevenly spread: mean recall [0-9.]+ %; model ", run.All);
        Assert.Matches(@"The held-out clips are unevenly spread \(1 to 3 per label\), so accuracy leans towards the labels with most of them\. The mean of the labels' recalls, which counts every label alike: gold only [0-9.]+ %", File.ReadAllText(temp.Combine("r.md")));
    }
}
