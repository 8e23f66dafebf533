using System.CommandLine;
using Synthio.Cli.Commands;

namespace Synthio.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = CreateRootCommand();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run 'dotnet synthio --help' for usage.").ConfigureAwait(false);
            return CommandRunner.BadUsage;
        }

        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Synthio for .NET: augment small audio datasets with cached synthetic audio (Synthio, ICLR 2025) and train ML.NET sound classifiers.");
        root.Options.Add(CommandRunner.LogFormatOption);
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(AugmentCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(SplitCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(OnnxCommand.Create());
        return root;
    }
}
