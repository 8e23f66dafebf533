using Synthio.Tests;

namespace Synthio.EndToEnd.Tests;

/// <summary>
/// Packs Synthio.Core, Synthio.Cli, Synthio.Build, Synthio.Onnx and Synthio.Templates from a copy of the sources into a
/// local folder feed, once for all end-to-end tests, and installs the CLI tool from it. Packages restore
/// into a private packages folder (with the machine's global folder as a read-only fallback for the
/// third-party packages), so a stale copy of our own packages can never be picked up.
/// </summary>
public sealed class PackagedFeed : IDisposable
{
    public const string Version = "0.1.0-e2e";

    private readonly TempDirectory _root = new("synthio-e2e");

    public PackagedFeed()
    {
        Sources = RepositoryCopy.CopyTo(_root.Combine("src-copy"));
        Feed = _root.Combine("feed");
        Packages = _root.Combine("packages");
        ToolPath = _root.Combine("tools");
        CliHome = _root.Combine("home");
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(CliHome);
        foreach (var project in new[] { "src/Synthio.Core/Synthio.Core.csproj", "src/Synthio.Cli/Synthio.Cli.csproj", "src/Synthio.Build/Synthio.Build.csproj", "src/Synthio.Onnx/Synthio.Onnx.csproj", "templates/Synthio.Templates/Synthio.Templates.csproj" })
        {
            var pack = ProcessRunner.Run(
                ProcessRunner.DotnetHost,
                new[] { "pack", Path.Combine(Sources, project), "-c", "Release", "-o", Feed, $"-p:Version={Version}" },
                Sources,
                Environment(),
                TimeSpan.FromMinutes(15));
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException($"packing {project} failed:\n{pack.All}");
            }
        }

        // The packages hold all the tests need from those Release builds; their outputs (about 600 MB, mostly
        // the tool's native libraries for every platform) would only crowd the disk the tests run on.
        foreach (var output in Directory.EnumerateDirectories(Sources, "Release", SearchOption.AllDirectories).ToList())
        {
            if (Path.GetFileName(Path.GetDirectoryName(output)) is "bin" or "obj")
            {
                Directory.Delete(output, recursive: true);
            }
        }

        WriteNuGetConfig(_root.Path);
        var install = ProcessRunner.Run(
            ProcessRunner.DotnetHost,
            new[] { "tool", "install", "Synthio.Cli", "--tool-path", ToolPath, "--version", Version },
            _root.Path,
            Environment(),
            TimeSpan.FromMinutes(5));
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"installing the tool failed:\n{install.All}");
        }
    }

    public string Sources { get; }

    public string Feed { get; }

    public string Packages { get; }

    public string ToolPath { get; }

    public string CliHome { get; }

    public string Tool => Path.Combine(ToolPath, "dotnet-synthio");

    public string NewFolder(string name)
    {
        var path = _root.Combine(name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Environment for every child process of the end-to-end tests.</summary>
    public Dictionary<string, string?> Environment(string? cacheDir = null) => new()
    {
        ["NUGET_PACKAGES"] = Packages,
        ["DOTNET_CLI_HOME"] = CliHome,
        ["SYNTHIO_CACHE_DIR"] = cacheDir ?? _root.Combine("cache"),
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
    };

    /// <summary>The machine's NuGet packages folder, which already holds every third-party package the solution restored.</summary>
    public static string MachinePackages => Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>A NuGet.Config with the local feed first and the machine's package folder as a fallback.</summary>
    public void WriteNuGetConfig(string directory)
    {
        var globalPackages = MachinePackages;
        File.WriteAllText(Path.Combine(directory, "NuGet.Config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="synthio-local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{globalPackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    public void Dispose() => _root.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PackagedFeedCollection : ICollectionFixture<PackagedFeed>
{
    public const string Name = "packaged feed";
}
