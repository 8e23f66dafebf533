using System.Globalization;
using System.Runtime.InteropServices;
using System.Security;
using Synthio.Diagnostics;

namespace Synthio.Cli.Backends;

/// <summary>What <c>dotnet synthio onnx install</c> asks for.</summary>
internal sealed record OnnxInstallRequest(string Version, IReadOnlyList<string> Sources, string? ConfigFile, string RuntimeIdentifier);

/// <summary>Where the backends landed and what they say of the device.</summary>
internal sealed record OnnxInstallResult(string Directory, long Bytes, string Device);

/// <summary>
/// Installs the ONNX backends for this tool version: a throw-away project that references the Synthio.Onnx
/// package is published for the machine's runtime (so NuGet brings ONNX Runtime's native libraries, with the
/// user's own package sources and credentials), the result is loaded once in a child process to prove it works,
/// and only then does it replace what was installed before. A failed or cancelled install leaves the old one.
/// </summary>
internal static class OnnxBackendsInstaller
{
    public const string PackageId = "Synthio.Onnx";
    private const string HostName = "synthio-onnx-host";

    public static async Task<OnnxInstallResult> InstallAsync(OnnxInstallRequest request, IPipelineReporter reporter, CancellationToken ct)
    {
        var target = OnnxPlugin.InstallDirectory(request.Version);
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var work = Path.Combine(parent, $".install-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            WriteHostProject(work, request);
            var published = Path.Combine(work, "out");
            var arguments = new List<string>
            {
                "publish", Path.Combine(work, HostName + ".csproj"), "-c", "Release", "-r", request.RuntimeIdentifier, "--self-contained", "false",
                "-o", published, "-v", "minimal", "-nologo",
            };
            if (request.ConfigFile is { } config)
            {
                arguments.Add($"-p:RestoreConfigFile={Path.GetFullPath(config)}");
            }

            reporter.Info($"restoring {PackageId} {request.Version} with ONNX Runtime for {request.RuntimeIdentifier} (about 540 MB on disk; the first install downloads the packages)");
            var (exitCode, output) = await DotnetProcess.RunAsync(arguments, work, ct).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new SynthioException(
                    DiagnosticCodes.OnnxInstallFailed,
                    $"'dotnet publish' of {PackageId} {request.Version} for {request.RuntimeIdentifier} failed with exit code {exitCode}; "
                    + $"check that a package source serves {PackageId} (--source adds one, --configfile names a NuGet.Config). dotnet said:\n{Tail(output, 20)}");
            }

            var assembly = Path.Combine(published, OnnxPlugin.AssemblyFileName);
            if (!File.Exists(assembly))
            {
                throw new SynthioException(DiagnosticCodes.OnnxInstallFailed, $"'dotnet publish' succeeded but wrote no {OnnxPlugin.AssemblyFileName} to {published}");
            }

            // The host project only carried the package in; its own files are not part of the plug-in.
            foreach (var file in Directory.GetFiles(published, HostName + ".*"))
            {
                File.Delete(file);
            }

            // The plug-in shares Synthio.Core with the tool that loads it, so only backends of this tool's own
            // version can be checked here; others are for the tool of their version (such as the one a build
            // package bundles), which checks them when it first loads them.
            string device;
            if (request.Version == ToolVersion.Package)
            {
                reporter.Info("loading the backends once to check them");
                device = await ProbeAsync(published, ct).ConfigureAwait(false);
            }
            else
            {
                device = $"not checked: this tool is {ToolVersion.Package}, and only a tool of version {request.Version} loads these backends";
            }

            var bytes = Directory.EnumerateFiles(published, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

            // Replace the old install only now, and in two renames, so a reader sees the old one or the new one.
            var previous = Path.Combine(parent, $".previous-{Guid.NewGuid():N}");
            if (Directory.Exists(target))
            {
                Directory.Move(target, previous);
            }

            Directory.Move(published, target);
            TryDelete(previous);
            return new OnnxInstallResult(target, bytes, device);
        }
        finally
        {
            TryDelete(work);
        }
    }

    /// <summary>Removes the backends installed for <paramref name="version"/>; false when none were.</summary>
    public static bool Uninstall(string version)
    {
        var target = OnnxPlugin.InstallDirectory(version);
        if (!Directory.Exists(target))
        {
            return false;
        }

        Directory.Delete(target, recursive: true);
        return true;
    }

    /// <summary>The runtime the tool runs on (portable form, e.g. linux-x64), which the natives must match.</summary>
    public static string CurrentRuntime => RuntimeInformation.RuntimeIdentifier;

    private static void WriteHostProject(string work, OnnxInstallRequest request)
    {
        // Empty Directory.Build.* and Directory.Packages.props stop MSBuild's upward search, so settings in the
        // user's home folder cannot change what is published.
        File.WriteAllText(Path.Combine(work, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(work, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(work, "Directory.Packages.props"), "<Project />");
        var sources = string.Join(";", request.Sources.Select(s => Directory.Exists(s) ? Path.GetFullPath(s) : s));
        File.WriteAllText(Path.Combine(work, HostName + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>{TargetFramework()}</TargetFramework>
                <AssemblyName>{HostName}</AssemblyName>
                <EnableDefaultItems>false</EnableDefaultItems>
                <SatelliteResourceLanguages>en</SatelliteResourceLanguages>
                <RestoreAdditionalProjectSources>{SecurityElement.Escape(sources)}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackageId}" Version="[{SecurityElement.Escape(request.Version)}]" />
              </ItemGroup>
            </Project>
            """);
    }

    /// <summary>The framework this tool was built for (net10.0), which the plug-in's assemblies target too.</summary>
    private static string TargetFramework()
    {
        var name = AppContext.TargetFrameworkName ?? ".NETCoreApp,Version=v10.0";
        var version = Version.Parse(name[(name.IndexOf("Version=v", StringComparison.Ordinal) + "Version=v".Length)..]);
        return string.Create(CultureInfo.InvariantCulture, $"net{version.Major}.{version.Minor}");
    }

    /// <summary>
    /// Loads the plug-in in a child run of this tool (<c>doctor</c>), not in this process: a loaded native library
    /// would keep its folder from being moved into place on Windows.
    /// </summary>
    private static async Task<string> ProbeAsync(string folder, CancellationToken ct)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "dotnet-synthio.dll");
        var (exitCode, output) = await DotnetProcess.RunAsync(
            new[] { tool, "doctor", "--device", "auto" },
            folder,
            ct,
            new Dictionary<string, string> { [OnnxPlugin.EnvironmentVariable] = folder }).ConfigureAwait(false);
        var device = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("onnx device: ", StringComparison.Ordinal));
        if (exitCode != 0 || device is null)
        {
            throw new SynthioException(DiagnosticCodes.OnnxInstallFailed, $"the backends were published to {folder} but do not load:\n{Tail(output, 20)}");
        }

        return device["onnx device: ".Length..];
    }

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover scratch folder wastes disk but breaks nothing; the next install uses a new name.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
