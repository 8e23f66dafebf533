using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Training;

// Predicts a label for every audio file (WAV, FLAC, MP3, Ogg Vorbis, Opus) given on the command line, or under a
// folder given there, with the model the build trained. Usage: dotnet run -- <file|folder>... [--model <file.model.zip>]
var files = new List<string>();
string? modelPath = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--model" && i + 1 < args.Length)
    {
        modelPath = args[++i];
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
    Console.Error.WriteLine($"Usage: {AppDomain.CurrentDomain.FriendlyName} <audio file|folder>... [--model <file.model.zip>]");
    return 2;
}

var classifier = SynthioClassifier.Load(modelPath);
var failed = false;
foreach (var file in files.SelectMany(AudioFiles))
{
    try
    {
        var prediction = classifier.Predict(file);
        var best = prediction.Scores.OrderByDescending(p => p.Value).Take(3).Select(p => $"{p.Key} {p.Value:0.00}");
        Console.WriteLine($"{file}: {prediction.Label} ({string.Join(", ", best)})");
    }
    catch (SynthioException ex)
    {
        // One unreadable file does not stop the others.
        Console.Error.WriteLine($"{file}: {ex.Message}");
        failed = true;
    }
}

return failed ? 1 : 0;

// A folder stands for every audio file under it, in path order.
static IEnumerable<string> AudioFiles(string path) => Directory.Exists(path)
    ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(AudioFile.HasAudioExtension).Order(StringComparer.Ordinal)
    : [path];
