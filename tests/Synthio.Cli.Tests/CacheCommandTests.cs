using Synthio.Tests;

namespace Synthio.Cli.Tests;

public sealed class CacheCommandTests
{
    [Fact]
    public void SecondAugmentReusesEverythingAndVerifyFindsAFlippedByte()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var cache = temp.Combine("cache");
        var first = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out1"), "--multiplier", "2", "--cache-dir", cache);
        Assert.True(first.ExitCode == 0, first.All);
        var second = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out2"), "--multiplier", "2", "--cache-dir", cache);
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("0 generated", second.Error);

        var status = CliRunner.Run(temp.Path, "cache", "status", "--cache-dir", cache);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("hit rate 100", status.Output);

        var clean = CliRunner.Run(temp.Path, "cache", "verify", "--cache-dir", cache);
        Assert.True(clean.ExitCode == 0, clean.All);
        Assert.Contains("all intact", clean.Output);

        var blob = Directory.GetFiles(Path.Combine(cache, "objects"), "*", SearchOption.AllDirectories).First();
        var bytes = File.ReadAllBytes(blob);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(blob, bytes);
        var dirty = CliRunner.Run(temp.Path, "cache", "verify", "--cache-dir", cache, "--repair");
        Assert.Equal(1, dirty.ExitCode);
        Assert.Contains(Path.GetFileName(blob), dirty.Output);
        Assert.False(File.Exists(blob));

        // The next run recomputes what was lost and succeeds.
        var healed = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out3"), "--multiplier", "2", "--cache-dir", cache);
        Assert.True(healed.ExitCode == 0, healed.All);
        Assert.Equal(0, CliRunner.Run(temp.Path, "cache", "verify", "--cache-dir", cache).ExitCode);
    }

    [Fact]
    public void AFlippedByteIsDetectedOnReadAndHealedByTheRun()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var cache = temp.Combine("cache");
        Assert.Equal(0, CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out1"), "--multiplier", "2", "--cache-dir", cache).ExitCode);
        var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(temp.Combine("out1", "manifest.json"))).RootElement;
        var clip = manifest.GetProperty("clips").EnumerateArray().First(c => c.GetProperty("origin").GetString() == "synthetic");
        var blob = clip.GetProperty("blob").GetString()!;
        var path = Path.Combine(cache, "objects", blob[..2], blob);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length - 3] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var healed = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out2"), "--multiplier", "2", "--cache-dir", cache);
        Assert.True(healed.ExitCode == 0, healed.All);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(healed.Error, "warning SYN4001"));
        Assert.Contains("1 generated", healed.Error);
        Assert.Equal(0, CliRunner.Run(temp.Path, "cache", "verify", "--cache-dir", cache).ExitCode);
        // Regenerated deterministically: the blob holds the clip's bytes again.
        Assert.Equal(File.ReadAllBytes(temp.Combine("out1", clip.GetProperty("path").GetString()!)), File.ReadAllBytes(path));
    }

    [Fact]
    public void PruneEvictsDownToTheLimit()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var cache = temp.Combine("cache");
        Assert.Equal(0, CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out"), "--multiplier", "2", "--cache-dir", cache).ExitCode);
        var prune = CliRunner.Run(temp.Path, "cache", "prune", "--max-size", "20KB", "--cache-dir", cache);
        Assert.True(prune.ExitCode == 0, prune.All);
        var remaining = Directory.GetFiles(Path.Combine(cache, "objects"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            + Directory.GetFiles(Path.Combine(cache, "steps"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(remaining <= 20_000, $"{remaining} bytes remain");
    }
}
