using System.Globalization;
using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Training;

// Predicts a label for every audio file (WAV, AIFF, FLAC, MP3, Ogg Vorbis, Opus in Ogg or WebM) given on the
// command line, or under a folder given there, with the model the build trained; with --window, one label per
// window of a long recording.
// Usage: dotnet run -- <file|folder>... [--model <file.model.zip>] [--window <seconds>]
var files = new List<string>();
string? modelPath = null;
double? window = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--model" && i + 1 < args.Length)
    {
        modelPath = args[++i];
    }
    else if (args[i] == "--window")
    {
        if (i + 1 >= args.Length || !double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0))
        {
            Console.Error.WriteLine("--window takes a positive number of seconds, such as --window 5");
            return 2;
        }

        window = seconds;
    }
    else
    {
        files.Add(args[i]);
    }
}

modelPath ??= Directory.GetFiles(AppContext.BaseDirectory, "*.model.zip").OrderBy(p => p, StringComparer.Ordinal).FirstOrDefault();
if (modelPath is null)
{
    Console.Error.WriteLine("No *.model.zip next to the app: build the project first (dotnet build), or pass --model <file>.");
    return 1;
}

if (files.Count == 0)
{
    Console.Error.WriteLine($"Usage: {AppDomain.CurrentDomain.FriendlyName} <audio file|folder>... [--model <file.model.zip>] [--window <seconds>]");
    return 2;
}

var classifier = SynthioClassifier.Load(modelPath);
var failed = false;
foreach (var file in files.SelectMany(AudioFiles))
{
    try
    {
        if (window is { } seconds)
        {
            // Windows of about the length of the training clips work best; a silent window gets no label.
            foreach (var part in classifier.PredictWindows(AudioFile.ReadMono(file), seconds))
            {
                var answer = part.Prediction is { } p ? $"{p.Label} ({Best(p)})" : "silent";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file} [{part.StartSeconds:0.0}-{part.EndSeconds:0.0} s]: {answer}"));
            }

            continue;
        }

        var prediction = classifier.Predict(file);
        Console.WriteLine($"{file}: {prediction.Label} ({Best(prediction)})");
    }
    catch (SynthioException ex)
    {
        // One unreadable file does not stop the others.
        Console.Error.WriteLine($"{file}: {ex.Message}");
        failed = true;
    }
}

return failed ? 1 : 0;

// The three best labels with their scores.
static string Best(ClassifierPrediction prediction) => string.Join(
    ", ",
    prediction.Scores.OrderByDescending(p => p.Value).Take(3).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.00}")));

// A folder stands for every audio file under it, in path order.
static IEnumerable<string> AudioFiles(string path) => Directory.Exists(path) ? AudioFile.EnumerateUnder(path) : [path];
