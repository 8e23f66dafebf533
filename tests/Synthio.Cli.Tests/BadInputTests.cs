using System.Text.Json;
using Synthio.Tests;

namespace Synthio.Cli.Tests;

/// <summary>Bad input gets a coded diagnostic naming the file and a documented outcome; the dataset is never written.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void CorruptNonAudioAndEmptyInputsAreSkippedWithCodedWarnings()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var truncated = Path.Combine(data, "low", "truncated.wav");
        var full = File.ReadAllBytes(Path.Combine(data, "low", "low-0.wav"));
        File.WriteAllBytes(truncated, full[..(full.Length / 2)].Concat(Array.Empty<byte>()).ToArray());
        // Keep the header's declared size but cut the data: a truncated file.
        var fakeWav = Path.Combine(data, "high", "not-really.wav");
        File.WriteAllText(fakeWav, "this is a text file with a .wav name");
        var notes = Path.Combine(data, "high", "notes.txt");
        File.WriteAllText(notes, "recorded on a windy day");
        Directory.CreateDirectory(Path.Combine(data, "empty"));
        var before = CliRunner.Snapshot(data);

        var result = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out"), "--multiplier", "1", "--cache-dir", temp.Combine("cache"), "--log-format", "msbuild");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains($"{truncated} : warning SYN1003 :", result.Error);
        Assert.Contains($"{fakeWav} : warning SYN1004 :", result.Error);
        Assert.Contains($"{notes} : warning SYN1004 :", result.Error);
        Assert.Contains(": warning SYN1002 :", result.Error);
        Assert.Contains(Path.Combine(data, "empty"), result.Error);
        Assert.Equal(before, CliRunner.Snapshot(data));

        var manifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("out", "manifest.json"))).RootElement;
        var goldPaths = manifest.GetProperty("clips").EnumerateArray().Where(c => c.GetProperty("origin").GetString() == "gold").Select(c => c.GetProperty("path").GetString()).ToList();
        Assert.Equal(6, goldPaths.Count);
        Assert.DoesNotContain(truncated, goldPaths);
    }

    [Fact]
    public void ABadGroupPatternFailsAndOneThatMatchesNothingWarns()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));

        var bad = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("bad"), "--multiplier", "1", "--group-pattern", "([a-z", "--cache-dir", temp.Combine("cache"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("error SYN1011", bad.Error);
        Assert.False(Directory.Exists(temp.Combine("bad")));

        var none = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("none"), "--multiplier", "1", "--group-pattern", "^speaker_", "--cache-dir", temp.Combine("cache"), "--log-format", "msbuild");
        Assert.True(none.ExitCode == 0, none.All);
        Assert.Contains("warning SYN1012", none.Error);
        var manifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("none", "manifest.json"))).RootElement;
        Assert.Equal("^speaker_", manifest.GetProperty("settings").GetProperty("groupPattern").GetString());
    }

    [Fact]
    public void AGroupPatternThatMakesEachLabelOneGroupIsNamedWhenNothingIsHeldOut()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"), clipsPerLabel: 4);
        var cache = temp.Combine("cache");

        // "low-0.wav" … "low-3.wav" all match "low": one group per label, and a group is held out whole.
        var augment = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("aug"), "--multiplier", "classic:1", "--holdout", "0.25", "--group-pattern", "^([a-z]+)-", "--cache-dir", cache);
        Assert.True(augment.ExitCode == 0, augment.All);
        var train = CliRunner.Run(temp.Path, "train", data, "--synthetic", temp.Combine("aug"), "--model", temp.Combine("model.zip"), "--time-budget", "2", "--cache-dir", cache, "--log-format", "msbuild");
        Assert.True(train.ExitCode == 0, train.All);
        Assert.Contains("warning SYN5002", train.Error);
        Assert.Contains("all the clips of 'high', 'low' match the group pattern alike", train.Error);

        // With a pattern that keeps each clip apart, clips are held out and nothing is said.
        var apart = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("apart"), "--multiplier", "classic:1", "--holdout", "0.25", "--group-pattern", "^([a-z]+-[0-9])", "--cache-dir", cache);
        Assert.True(apart.ExitCode == 0, apart.All);
        var trained = CliRunner.Run(temp.Path, "train", data, "--synthetic", temp.Combine("apart"), "--model", temp.Combine("apart.zip"), "--report", temp.Combine("apart.md"), "--time-budget", "2", "--cache-dir", cache, "--log-format", "msbuild");
        Assert.True(trained.ExitCode == 0, trained.All);
        Assert.DoesNotContain("SYN5002", trained.All);
        Assert.Contains("0.25 share of each label's clips, chosen by file-name hash, whole groups of the group pattern '^([a-z]+-[0-9])' at a time", File.ReadAllText(temp.Combine("apart.md")));
    }

    [Fact]
    public void MissingDatasetFailsWithExitCodeOne()
    {
        using var temp = new TempDirectory();
        var missing = temp.Combine("no-such-dataset");
        var result = CliRunner.Run(temp.Path, "augment", missing, "--out", temp.Combine("out"), "--cache-dir", temp.Combine("cache"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error SYN1001", result.Error);
        Assert.Contains(missing, result.Error);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void AnEmptyDatasetSaysWhatADatasetLooksLike()
    {
        // What a new project holds before the user adds audio: a folder with a README, or a CSV with its header.
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("data"));
        File.WriteAllText(temp.Combine("data", "README.md"), "put your clips here");
        File.WriteAllText(temp.Combine("data.csv"), "path,label\n");

        var folder = CliRunner.Run(temp.Path, "augment", temp.Combine("data"), "--out", temp.Combine("out1"), "--cache-dir", temp.Combine("cache"));
        Assert.Equal(1, folder.ExitCode);
        Assert.Contains("SYN1005", folder.Error);
        Assert.Contains("one sub-folder per label", folder.Error);
        var csv = CliRunner.Run(temp.Path, "augment", temp.Combine("data.csv"), "--out", temp.Combine("out2"), "--cache-dir", temp.Combine("cache"));
        Assert.Equal(1, csv.ExitCode);
        Assert.Contains("SYN1005", csv.Error);
        Assert.Contains("path,label", csv.Error);
    }

    [Fact]
    public void OutputInsideTheDatasetIsRefused()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var before = CliRunner.Snapshot(data);
        var result = CliRunner.Run(temp.Path, "augment", data, "--out", Path.Combine(data, "augmented"), "--cache-dir", temp.Combine("cache"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("SYN9001", result.Error);
        Assert.Equal(before, CliRunner.Snapshot(data));
    }

    [Theory]
    [InlineData("augment")]
    [InlineData("augment", "data", "--out", "o", "--multiplier", "many")]
    [InlineData("no-such-command")]
    public void BadUsageExitsWithTwo(params string[] arguments)
    {
        using var temp = new TempDirectory();
        var result = CliRunner.Run(temp.Path, arguments);
        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.Error.Trim());
    }
}
