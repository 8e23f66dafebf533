using System.Globalization;
using System.Text.RegularExpressions;
using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Features;
using Synthio.Training;

// Training sets whose labels have 3, 6, 12 or 24 gold clips (drawn per label and seed), tested on evenly spread
// test clips, where accuracy is the mean of the labels' recalls: on ESC-10 each fold in turn (training drawn from
// the other four, 400 test clips per seed), on FSDD its standard test clips (recordings 0-4, 300 per seed). Each draw trains twice, without and with class weights, once with the reference trainer
// (L-BFGS maximum entropy at its starting point) and once with the trainer search (a fixed number of trials,
// so that reruns agree).
// usage: Synthio.Bench.Imbalance <datasets-folder> <esc10|fsdd> <seeds> <search-trials>
var culture = CultureInfo.InvariantCulture;
var root = args[0];
var dataset = args[1];
var seeds = int.Parse(args[2], culture);
var searchTrials = int.Parse(args[3], culture);
var folder = Path.Combine(root, dataset == "esc10" ? "esc10-16k" : "fsdd");
int[] rotations = dataset == "esc10" ? [1, 2, 3, 4, 5] : [0];
bool IsTest(string file, int fold)
{
    var name = Path.GetFileName(file);
    return dataset == "esc10" ? name[0] - '0' == fold : int.Parse(Regex.Match(name, @"_(\d+)\.wav$").Groups[1].Value, culture) < 5;
}

var embedder = new SpectralStatisticsEmbedder();
var features = new Dictionary<string, float[]>(StringComparer.Ordinal);
float[] Features(string file)
{
    if (!features.TryGetValue(file, out var f))
    {
        features[file] = f = embedder.Embed(AudioFile.ReadMono(file));
    }

    return f;
}

int[] sizes = [3, 6, 12, 24];
var labels = Directory.GetDirectories(folder).Order(StringComparer.Ordinal).ToArray();
var totals = new Dictionary<string, List<double>>(StringComparer.Ordinal);
Console.WriteLine($"{dataset}: {labels.Length} labels; gold clips per label drawn from {{{string.Join(", ", sizes)}}}; {rotations.Length} test rotation(s) per seed");
foreach (var (seed, fold) in Enumerable.Range(0, seeds).SelectMany(s => rotations.Select(f => (s, f))))
{
    var random = new Random(1000 + (seed * 10) + fold);
    var test = labels.SelectMany(d => Directory.GetFiles(d, "*.wav").Where(f => IsTest(f, fold)).Select(f => (File: f, Label: Path.GetFileName(d)))).Order().ToArray();
    var train = new List<TrainingExample>();
    foreach (var dir in labels)
    {
        var label = Path.GetFileName(dir);
        var count = sizes[random.Next(sizes.Length)];
        foreach (var file in Directory.GetFiles(dir, "*.wav").Where(f => !IsTest(f, fold)).Order(StringComparer.Ordinal).OrderBy(_ => random.Next()).Take(count))
        {
            train.Add(TrainingExample.Gold(Features(file), label, Path.GetFileName(file)));
        }
    }

    var testFeatures = test.Select(t => Features(t.File)).ToArray();
    double MeanRecall(MulticlassModel model)
    {
        var predicted = model.PredictMany(testFeatures);
        return 100 * test.Select((t, i) => (t.Label, Right: predicted[i].Label == t.Label)).GroupBy(p => p.Label).Average(g => g.Average(p => p.Right ? 1.0 : 0.0));
    }

    var counts = train.GroupBy(e => e.Label).ToDictionary(g => g.Key, g => g.Count());
    var profile = new TrainingDataProfile(train.Count, train[0].Features.Length, counts.Count, counts.Values.Min());
    var reference = TrainerCandidate.Find(TrainerCandidate.LbfgsName)!.Space(profile).ToDictionary(p => p.Name, p => p.Initial, StringComparer.Ordinal);
    var row = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["reference, none"] = MeanRecall(TrainerSearch.Fit(TrainerCandidate.LbfgsName, reference, train, seed)),
        ["reference, balanced"] = MeanRecall(TrainerSearch.Fit(TrainerCandidate.LbfgsName, reference, train, seed, LabelWeights.For(train, ClassWeighting.Balanced))),
    };
    var chosen = new List<string>();
    foreach (var weighting in new[] { ClassWeighting.None, ClassWeighting.Balanced })
    {
        var options = new TrainerSearchOptions { Seed = seed, MaxTrials = searchTrials, TimeBudget = TimeSpan.FromHours(1), ClassWeighting = weighting };
        var search = TrainerSearch.Run(train, options, new CollectingReporter());
        row[$"search, {weighting.ToString().ToLowerInvariant()}"] = MeanRecall(search.Model);
        chosen.Add($"{weighting.ToString().ToLowerInvariant()}: {search.BestTrainer}");
    }

    foreach (var (name, value) in row)
    {
        (totals.TryGetValue(name, out var list) ? list : totals[name] = []).Add(value);
    }

    Console.WriteLine(string.Create(culture, $"seed {seed}{(rotations.Length > 1 ? $", test fold {fold}" : string.Empty)}: gold clips per label {string.Join(",", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value))}; ")
        + string.Join("; ", row.Select(p => string.Create(culture, $"{p.Key} {p.Value:F1}")))
        + $" (search chose {string.Join(", ", chosen)})");
}

foreach (var trainer in new[] { "reference", "search" })
{
    var none = totals[$"{trainer}, none"];
    var balanced = totals[$"{trainer}, balanced"];
    var gains = balanced.Zip(none, (b, n) => b - n).ToArray();
    var mean = gains.Average();
    var spread = Math.Sqrt(gains.Sum(g => (g - mean) * (g - mean)) / Math.Max(1, gains.Length - 1));
    Console.WriteLine(string.Create(
        culture,
        $"{dataset} {trainer}: mean recall without weights {none.Average():F1}, balanced {balanced.Average():F1}; gain {mean:+0.0;-0.0} ± {spread:F1} (won {gains.Count(g => g > 0)}, tied {gains.Count(g => g == 0)}, lost {gains.Count(g => g < 0)} of {gains.Length} training sets)"));
}
