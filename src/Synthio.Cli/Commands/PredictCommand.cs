using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Synthio.Audio;
using Synthio.Cli.Backends;
using Synthio.Cli.Output;
using Synthio.Diagnostics;
using Synthio.Training;

namespace Synthio.Cli.Commands;

/// <summary><c>dotnet synthio predict --model &lt;file.zip&gt; [--window &lt;s&gt; [--hop &lt;s&gt;]] &lt;audio file|folder&gt;...</c>.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model.zip written by 'train' or by the build.", Required = true };
        var files = new Argument<string[]>("files") { Description = $"Audio files to classify ({AudioFile.FormatList}), or folders: every audio file under a folder, in path order.", Arity = ArgumentArity.OneOrMore };
        var top = new Option<int>("--top") { Description = "How many labels to list per file, best first.", DefaultValueFactory = _ => 3 };
        var window = new Option<double?>("--window") { Description = "Classify long recordings in windows of this many seconds (about the length of the training clips works best) instead of whole." };
        var hop = new Option<double?>("--hop") { Description = "Seconds from one window's start to the next (default: the window, back to back); needs --window." };
        var command = new Command("predict", "Classify audio files with a trained model.");
        command.Options.Add(model);
        command.Options.Add(top);
        command.Options.Add(window);
        command.Options.Add(hop);
        command.Arguments.Add(files);
        command.Options.Add(BackendOptions.Embedder);
        command.Options.Add(BackendOptions.Device);
        command.SetAction(parse => CommandRunner.RunAsync(parse, reporter =>
        {
            var windowSeconds = parse.GetValue(window);
            var hopSeconds = parse.GetValue(hop);
            if (windowSeconds is { } w && !(w > 0 && double.IsFinite(w)))
            {
                throw CommandRunner.Usage($"--window must be a positive number of seconds, not {w.ToString(CultureInfo.InvariantCulture)}");
            }

            if (hopSeconds is { } h && (windowSeconds is null || !(h > 0 && double.IsFinite(h))))
            {
                throw CommandRunner.Usage(windowSeconds is null ? "--hop needs --window" : $"--hop must be a positive number of seconds, not {h.ToString(CultureInfo.InvariantCulture)}");
            }

            var path = parse.GetValue(model)!;
            if (!File.Exists(path))
            {
                throw new SynthioException(DiagnosticCodes.ModelNotFound, $"model '{path}' does not exist (build the project or run 'dotnet synthio train' first)", path);
            }

            var classifier = SynthioClassifier.Load(path, BackendFactory.OpenEmbedder(parse, reporter));
            var count = Math.Max(1, parse.GetValue(top));
            var failures = 0;
            foreach (var file in parse.GetValue(files)!.SelectMany(AudioArguments.Expand))
            {
                try
                {
                    AudioArguments.RequireFile(file);

                    var audio = AudioFile.ReadMono(file);
                    if (audio.Length == 0)
                    {
                        throw new SynthioException(DiagnosticCodes.EmptyAudio, $"'{file}' holds no samples: there is nothing to classify", file);
                    }

                    if (windowSeconds is { } seconds)
                    {
                        WriteWindows(file, classifier.PredictWindows(audio, seconds, hopSeconds), count, reporter.Format == LogFormat.Json);
                        continue;
                    }

                    if (AudioOps.IsSilent(audio))
                    {
                        // Still classified: silence is a real input, but the user should know the answer means little.
                        reporter.Report(Diagnostic.Warning(DiagnosticCodes.SilentAudio, $"'{file}' is silent (it {AudioOps.DescribeSilence(audio)}): the model learnt its labels from sounds, so its answer for silence means little", file));
                    }

                    var prediction = classifier.Predict(audio);
                    if (reporter.Format == LogFormat.Json)
                    {
                        Console.WriteLine(JsonSerializer.Serialize(new { file, label = prediction.Label, scores = prediction.Scores }));
                    }
                    else
                    {
                        Console.WriteLine($"{file}: {prediction.Label} ({Ranked(prediction, count)})");
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

    /// <summary>One line per window, then (as text) which labels the windows got; JSON gives one object per window.</summary>
    private static void WriteWindows(string file, IReadOnlyList<WindowPrediction> windows, int count, bool json)
    {
        foreach (var window in windows)
        {
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { file, start = Math.Round(window.StartSeconds, 3), end = Math.Round(window.EndSeconds, 3), label = window.Prediction?.Label, scores = window.Prediction?.Scores }));
            }
            else
            {
                var answer = window.Prediction is { } p ? $"{p.Label} ({Ranked(p, count)})" : "silent";
                Console.WriteLine($"{file} [{Time(window.StartSeconds)}-{Time(window.EndSeconds)}]: {answer}");
            }
        }

        if (!json)
        {
            var labels = windows.Where(w => w.Prediction is not null)
                .GroupBy(w => w.Prediction!.Label, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} in {g.Count()}");
            var silent = windows.Count(w => w.Prediction is null);
            var parts = labels.Concat(silent > 0 ? [$"silent {silent}"] : []);
            Console.WriteLine($"{file}: {windows.Count} window{(windows.Count == 1 ? string.Empty : "s")}: {string.Join(", ", parts)}");
        }
    }

    private static string Ranked(ClassifierPrediction prediction, int count) => string.Join(
        ", ",
        prediction.Scores.OrderByDescending(p => p.Value).Take(count).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.00}")));

    /// <summary>m:ss.s, or h:mm:ss.s from an hour on.</summary>
    private static string Time(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds, 1));
        var fraction = (int)Math.Round(t.Milliseconds / 100.0);
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}.{fraction}")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}:{t.Seconds:00}.{fraction}");
    }
}
