using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Synthio.Audio;
using Synthio.Cli.Backends;
using Synthio.Cli.Output;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Training;

namespace Synthio.Cli.Commands;

/// <summary><c>dotnet synthio predict --model &lt;file.zip&gt; &lt;file.wav|folder&gt;...</c>.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model.zip written by 'train' or by the build.", Required = true };
        var files = new Argument<string[]>("files") { Description = "WAV files to classify, or folders: every WAV file under a folder, in path order.", Arity = ArgumentArity.OneOrMore };
        var top = new Option<int>("--top") { Description = "How many labels to list per file, best first.", DefaultValueFactory = _ => 3 };
        var command = new Command("predict", "Classify WAV files with a trained model.");
        command.Options.Add(model);
        command.Options.Add(top);
        command.Arguments.Add(files);
        command.Options.Add(BackendOptions.Embedder);
        command.Options.Add(BackendOptions.Device);
        command.SetAction(parse => CommandRunner.RunAsync(parse, reporter =>
        {
            var path = parse.GetValue(model)!;
            if (!File.Exists(path))
            {
                throw new SynthioException(DiagnosticCodes.ModelNotFound, $"model '{path}' does not exist (build the project or run 'dotnet synthio train' first)", path);
            }

            var classifier = SynthioClassifier.Load(path, BackendFactory.OpenEmbedder(parse, reporter));
            var failures = 0;
            foreach (var file in parse.GetValue(files)!.SelectMany(Expand))
            {
                try
                {
                    if (Directory.Exists(file))
                    {
                        throw new SynthioException(DiagnosticCodes.EmptyLabel, $"folder '{file}' holds no WAV files", file);
                    }

                    if (!File.Exists(file))
                    {
                        throw new SynthioException(DiagnosticCodes.DatasetNotFound, $"'{file}' does not exist", file);
                    }

                    var audio = AudioFile.ReadMono(file);
                    if (audio.Length == 0)
                    {
                        throw new SynthioException(DiagnosticCodes.EmptyAudio, $"'{file}' holds no samples: there is nothing to classify", file);
                    }

                    if (AudioOps.IsSilent(audio))
                    {
                        // Still classified: silence is a real input, but the user should know the answer means little.
                        reporter.Report(Diagnostic.Warning(DiagnosticCodes.SilentAudio, $"'{file}' is silent (it {AudioOps.DescribeSilence(audio)}): the model learnt its labels from sounds, so its answer for silence means little", file));
                    }

                    var prediction = classifier.Predict(audio);
                    var ranked = prediction.Scores.OrderByDescending(p => p.Value).Take(Math.Max(1, parse.GetValue(top))).ToList();
                    if (reporter.Format == LogFormat.Json)
                    {
                        Console.WriteLine(JsonSerializer.Serialize(new { file, label = prediction.Label, scores = prediction.Scores }));
                    }
                    else
                    {
                        var others = string.Join(", ", ranked.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.00}")));
                        Console.WriteLine($"{file}: {prediction.Label} ({others})");
                    }
                }
                catch (SynthioException ex)
                {
                    reporter.Report(new Diagnostic(DiagnosticSeverity.Error, ex.Code, ex.Message, ex.File ?? file));
                    failures++;
                }
            }

            return Task.FromResult(failures == 0 ? CommandRunner.Success : CommandRunner.Failure);
        }));
        return command;
    }

    /// <summary>A file stays itself; a folder becomes its WAV files, or itself when it has none (so that it is reported).</summary>
    private static IEnumerable<string> Expand(string argument)
    {
        if (!Directory.Exists(argument))
        {
            return new[] { argument };
        }

        var wavs = Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories)
            .Where(AudioFile.HasAudioExtension)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return wavs.Length > 0 ? wavs : new[] { argument };
    }
}
