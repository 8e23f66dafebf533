using System.Runtime.InteropServices;
using Synthio.Tests;

namespace Synthio.EndToEnd.Tests;

/// <summary>
/// <c>dotnet synthio onnx install</c> as a user runs it: the installed tool restores the Synthio.Onnx package
/// from a feed, publishes it with ONNX Runtime's native libraries into the home folder, and from then on finds
/// and loads it with no setting; <c>uninstall</c> takes it away again.
/// </summary>
[Collection(PackagedFeedCollection.Name)]
public sealed class OnnxInstallEndToEndTests
{
    private const string OtherVersion = "0.0.9-e2e-other";

    private readonly PackagedFeed _feed;

    public OnnxInstallEndToEndTests(PackagedFeed feed) => _feed = feed;

    [Fact]
    public void InstallThenDoctorLoadsTheBackendsThenUninstallRemovesThem()
    {
        var home = _feed.NewFolder("onnx-home");
        var config = WriteConfig(home, withFallback: true);
        var env = Environment(home);
        var installed = Path.Combine(home, ".synthio", "onnx", PackagedFeed.Version);

        var before = Run(home, env, "doctor");
        Assert.Contains("onnx backends: not installed; 'dotnet synthio onnx install' installs them", before.Output);

        var install = Run(home, env, "onnx", "install", "--configfile", config);
        Assert.True(install.ExitCode == 0, install.All);
        Assert.Contains($"installed the ONNX backends (Synthio.Onnx {PackagedFeed.Version}, {RuntimeInformation.RuntimeIdentifier}, ", install.Output);
        Assert.Contains("onnx device: Microsoft.ML.OnnxRuntime.Gpu 1.31.0", install.Output);
        Assert.True(File.Exists(Path.Combine(installed, "Synthio.Onnx.dll")));
        var runtime = OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";
        Assert.True(File.Exists(Path.Combine(installed, runtime)), $"{runtime} is beside the backends");
        Assert.Empty(Directory.GetFiles(installed, "synthio-onnx-host.*"));
        Assert.Equal(new[] { PackagedFeed.Version }, Directory.GetFileSystemEntries(Path.GetDirectoryName(installed)!).Select(Path.GetFileName));

        // No SYNTHIO_ONNX_PLUGIN: the tool finds the installed backends and loads them.
        var doctor = Run(home, env, "doctor", "--device", "cpu");
        Assert.True(doctor.ExitCode == 0, doctor.All);
        Assert.Contains($"onnx backends: {Path.Combine(installed, "Synthio.Onnx.dll")}", doctor.Output);
        Assert.Contains("onnx device: Microsoft.ML.OnnxRuntime.Gpu 1.31.0: device cpu → CPU execution provider", doctor.Output);

        // A version no source serves fails with its own code and leaves the working install alone.
        var missing = Run(home, Environment(home), "onnx", "install", "--configfile", WriteConfig(_feed.NewFolder("onnx-feed-only"), withFallback: false), "--version", "0.0.1-missing");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("SYN3006", missing.Error);
        Assert.Contains("Synthio.Onnx", missing.Error);
        Assert.True(File.Exists(Path.Combine(installed, "Synthio.Onnx.dll")));
        Assert.Equal(new[] { PackagedFeed.Version }, Directory.GetFileSystemEntries(Path.GetDirectoryName(installed)!).Select(Path.GetFileName));

        // Backends of another version are for the tool of that version (such as a build package's): installed
        // beside this version's, not loaded by this tool, and not in its way.
        var otherFeed = _feed.NewFolder("onnx-other-feed");
        foreach (var project in new[] { "src/Synthio.Core/Synthio.Core.csproj", "src/Synthio.Onnx/Synthio.Onnx.csproj" })
        {
            var pack = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { "pack", Path.Combine(_feed.Sources, project), "-c", "Release", "-o", otherFeed, $"-p:Version={OtherVersion}" }, _feed.Sources, _feed.Environment(), TimeSpan.FromMinutes(10));
            Assert.True(pack.ExitCode == 0, pack.All);
        }

        var other = Run(home, env, "onnx", "install", "--configfile", config, "--source", otherFeed, "--version", OtherVersion);
        Assert.True(other.ExitCode == 0, other.All);
        Assert.Contains($"onnx device: not checked: this tool is {PackagedFeed.Version}", other.Output);
        Assert.True(File.Exists(Path.Combine(home, ".synthio", "onnx", OtherVersion, "Synthio.Onnx.dll")));
        Assert.Contains($"onnx backends: {Path.Combine(installed, "Synthio.Onnx.dll")}", Run(home, env, "doctor").Output);
        Assert.True(Run(home, env, "onnx", "uninstall", "--version", OtherVersion).ExitCode == 0);

        var uninstall = Run(home, env, "onnx", "uninstall");
        Assert.True(uninstall.ExitCode == 0, uninstall.All);
        Assert.False(Directory.Exists(installed));
        Assert.Contains("onnx backends: not installed", Run(home, env, "doctor").Output);
    }

    private Dictionary<string, string?> Environment(string home)
    {
        var env = _feed.Environment();
        env["HOME"] = home;
        env["USERPROFILE"] = home;
        env["CI"] = "true";
        env["SYNTHIO_ONNX_PLUGIN"] = null;
        return env;
    }

    private ProcessResult Run(string home, Dictionary<string, string?> env, params string[] arguments) =>
        ProcessRunner.Run(_feed.Tool, arguments, home, env, TimeSpan.FromMinutes(10));

    /// <summary>The local feed alone (no registry), with the machine's packages folder for ONNX Runtime when asked.</summary>
    private string WriteConfig(string directory, bool withFallback)
    {
        var path = Path.Combine(directory, "NuGet.Config");
        var fallback = withFallback
            ? $"""<fallbackPackageFolders><add key="machine" value="{PackagedFeed.MachinePackages}" /></fallbackPackageFolders>"""
            : string.Empty;
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="synthio-local" value="{_feed.Feed}" />
              </packageSources>
              {fallback}
            </configuration>
            """);
        return path;
    }
}
