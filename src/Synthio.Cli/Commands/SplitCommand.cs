using System.CommandLine;
using System.Globalization;
using Synthio.Audio;
using Synthio.Datasets;
using Synthio.Diagnostics;

namespace Synthio.Cli.Commands;

/// <summary><c>dotnet synthio split &lt;recording|folder&gt;... --out &lt;label-folder&gt; [--seconds 5]</c>: long recordings into clips.</summary>
internal static class SplitCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("recordings") { Description = $"Recordings to cut ({AudioFile.FormatList}), or folders: every audio file under a folder.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "The label folder to write the clips to, such as data/dog.", Required = true };
        var seconds = new Option<double>("--seconds") { Description = "Length of each clip in seconds: about the length of the sounds to tell apart.", DefaultValueFactory = _ => 5 };
        var command = new Command("split", "Cut long recordings into clips of a few seconds for a dataset's label folder, leaving out silence.");
        command.Arguments.Add(inputs);
        command.Options.Add(output);
        command.Options.Add(seconds);
        command.SetAction(parse => CommandRunner.RunAsync(parse, reporter =>
        {
            var length = parse.GetValue(seconds);
            if (!(length > 0) || double.IsInfinity(length))
            {
                throw CommandRunner.Usage($"--seconds must be a positive number, not {length.ToString(CultureInfo.InvariantCulture)}");
            }

            var outFolder = Path.GetFullPath(parse.GetValue(output)!);
            var recordings = parse.GetValue(inputs)!.SelectMany(AudioArguments.Expand).ToList();
            if (recordings.Any(r => DatasetLoader.IsWithin(Path.GetFullPath(r), outFolder)))
            {
                throw CommandRunner.Usage($"'{outFolder}' holds recordings being split; write the clips to another folder");
            }

            var failures = 0;
            var clips = 0;
            foreach (var recording in recordings)
            {
                try
                {
                    AudioArguments.RequireFile(recording);
                    var split = RecordingSplitter.Split(recording, outFolder, length);
                    clips += split.Segments.Count;
                    var left = new List<string>();
                    if (split.SilentSkipped > 0)
                    {
                        left.Add($"{split.SilentSkipped} silent left out");
                    }

                    if (split.LeftOverSeconds >= 0.05)
                    {
                        // A few samples past the last whole clip are not worth a word.
                        left.Add(string.Create(CultureInfo.InvariantCulture, $"the last {split.LeftOverSeconds:0.0} s left out"));
                    }

                    var note = left.Count > 0 ? $" ({string.Join(", ", left)})" : string.Empty;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{recording}: {split.Segments.Count} clips of {length:0.###} s{note}"));
                }
                catch (SynthioException ex)
                {
                    reporter.Report(new Diagnostic(DiagnosticSeverity.Error, ex.Code, ex.Message, ex.File ?? recording));
                    failures++;
                }
            }

            Console.WriteLine($"{clips} clips in {outFolder}. A recording's clips are named after it: set GroupPattern to {RecordingSplitter.GroupPattern} (--group-pattern) so that the holdout and the cross-validation keep them together.");
            return Task.FromResult(failures == 0 ? CommandRunner.Success : CommandRunner.Failure);
        }));
        return command;
    }
}
