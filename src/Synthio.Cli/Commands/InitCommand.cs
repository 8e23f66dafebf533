using System.CommandLine;
using Synthio.Diagnostics;

namespace Synthio.Cli.Commands;

/// <summary>
/// <c>dotnet synthio init [&lt;dir&gt;] [--name &lt;Name&gt;] [--dataset &lt;path&gt;]</c>: a new classifier project from the
/// <c>synthio-classifier</c> template, which travels with the tool and is registered with <c>dotnet new</c>.
/// </summary>
internal static class InitCommand
{
    public const string TemplateShortName = "synthio-classifier";

    public static Command Create()
    {
        var directory = new Argument<string?>("dir") { Description = "Folder for the new project (default: the current folder).", Arity = ArgumentArity.ZeroOrOne };
        var name = new Option<string?>("--name") { Description = "Project name (default: the folder's name)." };
        var dataset = new Option<string?>("--dataset") { Description = "Dataset the project trains on: a folder of label folders or a CSV (default: data)." };
        var command = new Command("init", "Create a sound classifier project wired to Synthio (dotnet new synthio-classifier).");
        command.Arguments.Add(directory);
        command.Options.Add(name);
        command.Options.Add(dataset);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, async reporter =>
        {
            var target = Path.GetFullPath(parse.GetValue(directory) ?? Directory.GetCurrentDirectory());
            var projectName = parse.GetValue(name) ?? new DirectoryInfo(target).Name;
            if (Directory.Exists(target) && Directory.EnumerateFiles(target, "*.csproj").Any())
            {
                throw new SynthioException(DiagnosticCodes.BadOption, $"'{target}' already holds a project; choose an empty folder", target);
            }

            var templateDir = Path.Combine(AppContext.BaseDirectory, "templates", TemplateShortName);
            if (!Directory.Exists(templateDir))
            {
                throw new SynthioException(DiagnosticCodes.Internal, $"the project template is missing from the tool's folder ({templateDir}); reinstall the tool");
            }

            reporter.Info($"registering the {TemplateShortName} template with dotnet new");
            await RunDotnetAsync(new[] { "new", "install", templateDir, "--force" }, ct).ConfigureAwait(false);

            var arguments = new List<string> { "new", TemplateShortName, "--output", target, "--name", projectName, "--synthioVersion", ToolVersion.Package };
            var datasetPath = parse.GetValue(dataset) is { Length: > 0 } given ? given : "data";
            arguments.AddRange(new[] { "--dataset", datasetPath });

            await RunDotnetAsync(arguments, ct).ConfigureAwait(false);
            var next = "Put labelled audio clips under its dataset folder (one sub-folder per label) and run 'dotnet build'.";
            if (datasetPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                // A CSV dataset starts as its header, so the project names a file that exists.
                var csv = Path.GetFullPath(Path.Combine(target, datasetPath));
                if (!File.Exists(csv))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(csv)!);
                    File.WriteAllText(csv, "path,label\n");
                }

                next = $"List its clips in {datasetPath} (path,label[,split], paths relative to the CSV) and run 'dotnet build'.";
            }

            Console.WriteLine($"Created {projectName} in {target}. {next}");
            return CommandRunner.Success;
        }));
        return command;
    }

    private static async Task RunDotnetAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var (exitCode, output) = await DotnetProcess.RunAsync(arguments, null, ct).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new SynthioException(DiagnosticCodes.Internal, $"'dotnet {string.Join(' ', arguments)}' failed with exit code {exitCode}: {output.Trim()}");
        }
    }
}
