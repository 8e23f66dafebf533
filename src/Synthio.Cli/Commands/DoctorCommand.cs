using System.CommandLine;
using System.Runtime.InteropServices;
using Synthio.Caching;
using Synthio.Cli.Backends;
using Synthio.Diagnostics;
using Synthio.Language.Ollama;

namespace Synthio.Cli.Commands;

/// <summary><c>dotnet synthio doctor</c>: which backends this machine can use, and why not when it can't.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Check what is reachable: the cache folder, Ollama and its models, the ONNX backends and CUDA.");
        command.Options.Add(BackendOptions.OllamaUrl);
        command.Options.Add(BackendOptions.Device);
        command.Options.Add(SharedOptions.CacheDir);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async reporter =>
        {
            Console.WriteLine($"synthio {ToolVersion.Package} on .NET {Environment.Version} ({RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.ProcessArchitecture})");

            var cacheRoot = CacheLocation.Resolve(parse.GetValue(SharedOptions.CacheDir));
            try
            {
                _ = new ContentAddressedStore(cacheRoot, reporter);
                var status = CacheMaintenance.Status(cacheRoot);
                Console.WriteLine($"cache: ok, {cacheRoot} ({status.Blobs} blobs, {CacheCommand.FormatBytes(status.TotalBytes)})");
            }
            catch (SynthioException ex)
            {
                Console.WriteLine($"cache: NOT USABLE: {ex.Message}");
            }

            var url = OllamaOptions.ResolveUrl(parse.GetValue(BackendOptions.OllamaUrl));
            var ollama = await OllamaProbe.ProbeAsync(url, TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
            if (ollama.Reachable)
            {
                var models = ollama.Models.Count == 0 ? "no models pulled (ollama pull <model>)" : string.Join(", ", ollama.Models.Select(m => m.Name));
                Console.WriteLine($"ollama: reachable at {url} (version {ollama.Version ?? "unknown"}); models: {models}");
            }
            else
            {
                Console.WriteLine($"ollama: not reachable at {url} ({ollama.Error}); --llm offline works without it");
            }

            var plugin = OnnxPlugin.Location();
            if (plugin is null)
            {
                Console.WriteLine($"onnx backends: not installed; 'dotnet synthio onnx install' installs them (or set {OnnxPlugin.EnvironmentVariable} to a folder that holds {OnnxPlugin.AssemblyFileName}) to use --generator onnx:<dir> and --scorer clap:<dir>");
            }
            else
            {
                Console.WriteLine($"onnx backends: {plugin}");
                Console.WriteLine($"onnx device: {OnnxPlugin.DescribeDevice(parse.GetValue(BackendOptions.Device) ?? "auto")}");
            }

            Console.WriteLine("embedded backends: ok (offline composer, descriptor captioner, embedded generator and scorer need nothing else)");
            return CommandRunner.Success;
        }));
        return command;
    }
}
