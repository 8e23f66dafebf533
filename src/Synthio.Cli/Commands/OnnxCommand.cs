using System.CommandLine;
using Synthio.Cli.Backends;

namespace Synthio.Cli.Commands;

/// <summary><c>dotnet synthio onnx install|uninstall</c>: the ONNX Runtime backends, which are too large to travel with the tool.</summary>
internal static class OnnxCommand
{
    public static Command Create()
    {
        var command = new Command("onnx", "Install or remove the ONNX Runtime backends (CLAP scorer and embedder, text-to-audio bundles) for this tool.");

        var version = new Option<string>("--version") { Description = "Version of the Synthio.Onnx package (default: this tool's version, which it must match)." };
        var install = new Command("install", "Restore the Synthio.Onnx package with ONNX Runtime (about 540 MB) from your package sources into ~/.synthio/onnx/<version>.");
        var sources = new Option<string[]>("--source") { Description = "A package source (URL or folder) to use besides the configured ones; repeatable.", AllowMultipleArgumentsPerToken = false };
        var configFile = new Option<string>("--configfile") { Description = "The NuGet.Config to restore with (default: the usual lookup from your home folder)." };
        var runtime = new Option<string>("--runtime") { Description = $"Runtime identifier of the native libraries (default: this machine's, {OnnxBackendsInstaller.CurrentRuntime})." };
        install.Options.Add(version);
        install.Options.Add(sources);
        install.Options.Add(configFile);
        install.Options.Add(runtime);
        install.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async reporter =>
        {
            var config = parse.GetValue(configFile);
            if (config is not null && !File.Exists(config))
            {
                throw CommandRunner.Usage($"--configfile '{config}' does not exist");
            }

            var request = new OnnxInstallRequest(
                parse.GetValue(version) is { Length: > 0 } v ? v : ToolVersion.Package,
                parse.GetValue(sources) ?? Array.Empty<string>(),
                config,
                parse.GetValue(runtime) is { Length: > 0 } r ? r : OnnxBackendsInstaller.CurrentRuntime);
            var result = await OnnxBackendsInstaller.InstallAsync(request, reporter, ct).ConfigureAwait(false);
            Console.WriteLine($"installed the ONNX backends ({OnnxBackendsInstaller.PackageId} {request.Version}, {request.RuntimeIdentifier}, {CacheCommand.FormatBytes(result.Bytes)}) in {result.Directory}");
            Console.WriteLine($"onnx device: {result.Device}");
            if (request.Version != ToolVersion.Package)
            {
                Console.WriteLine($"note: this tool is {ToolVersion.Package} and loads only backends of its own version; the tool of version {request.Version} (a Synthio.Build package of that version bundles one) finds these");
            }

            return CommandRunner.Success;
        }));

        var uninstall = new Command("uninstall", "Remove the ONNX backends installed for this tool's version (or --version).");
        uninstall.Options.Add(version);
        uninstall.SetAction(parse => CommandRunner.RunAsync(parse, _ =>
        {
            var which = parse.GetValue(version) is { Length: > 0 } v ? v : ToolVersion.Package;
            Console.WriteLine(OnnxBackendsInstaller.Uninstall(which)
                ? $"removed the ONNX backends {which} from {OnnxPlugin.InstallDirectory(which)}"
                : $"no ONNX backends {which} were installed in {OnnxPlugin.InstallDirectory(which)}");
            return Task.FromResult(CommandRunner.Success);
        }));

        command.Subcommands.Add(install);
        command.Subcommands.Add(uninstall);
        return command;
    }
}
