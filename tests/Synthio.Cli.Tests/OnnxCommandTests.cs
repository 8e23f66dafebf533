using Synthio.Tests;

namespace Synthio.Cli.Tests;

/// <summary>The <c>onnx</c> command's own checks; installing from a feed is covered end to end.</summary>
public sealed class OnnxCommandTests
{
    private static ProcessResult Run(string home, params string[] arguments) => ProcessRunner.Run(
        ProcessRunner.DotnetHost,
        new[] { CliRunner.CliPath }.Concat(arguments),
        home,
        new Dictionary<string, string?> { ["CI"] = "true", ["HOME"] = home, ["USERPROFILE"] = home, ["SYNTHIO_ONNX_PLUGIN"] = null });

    [Fact]
    public void AMissingConfigFileIsAUsageErrorBeforeAnythingIsRestored()
    {
        using var temp = new TempDirectory();
        var run = Run(temp.Path, "onnx", "install", "--configfile", temp.Combine("nope.config"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("SYN9001", run.Error);
        Assert.Contains("nope.config", run.Error);
        Assert.False(Directory.Exists(temp.Combine(".synthio")), "nothing was written");
    }

    [Fact]
    public void UninstallSaysWhenNothingWasInstalledAndRemovesWhatWas()
    {
        using var temp = new TempDirectory();
        var none = Run(temp.Path, "onnx", "uninstall", "--version", "9.9.9");
        Assert.True(none.ExitCode == 0, none.All);
        Assert.Contains("no ONNX backends 9.9.9 were installed", none.Output);

        // Uninstall removes the version's folder and nothing beside it.
        var installed = Directory.CreateDirectory(Path.Combine(temp.Path, ".synthio", "onnx", "9.9.9")).FullName;
        File.WriteAllText(Path.Combine(installed, "Synthio.Onnx.dll"), "not loaded");
        var other = Directory.CreateDirectory(Path.Combine(temp.Path, ".synthio", "onnx", "9.9.8")).FullName;
        var removed = Run(temp.Path, "onnx", "uninstall", "--version", "9.9.9");
        Assert.True(removed.ExitCode == 0, removed.All);
        Assert.Contains("removed the ONNX backends 9.9.9", removed.Output);
        Assert.False(Directory.Exists(installed));
        Assert.True(Directory.Exists(other));
    }
}
