using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Synthio.Audio;
using Synthio.Augmentation;
using Synthio.Features;
using Synthio.Training;

// Why does the policy search's cross-validation overrate classic copies on ESC-10? For each drawn training set
// (n clips per label from four folds, the fifth tests), gold-only and classic×K are trained the way the search
// trains them (the reference trainer on spectral statistics, copies as written), and every cross-validation fold's
// model is scored three ways: on its own held-out drawn clips (what the search sees), on the test fold, and on the
// undrawn clips of the four training folds from recordings that were not drawn. The build's model (all drawn clips)
// is scored on the test fold. The same models on other clips separate what the fold's smaller training set does from
// what the held-out clips themselves do. Classic copies alone: they are quick to make, so hundreds of draws fit.
// usage: Synthio.Bench.CvBias <datasets-folder> <seeds> <first-seed> <n> <copies> <rows.jsonl>
var culture = CultureInfo.InvariantCulture;
var folder = Path.Combine(args[0], "esc10-16k");
var seeds = int.Parse(args[1], culture);
var firstSeed = int.Parse(args[2], culture);
var n = int.Parse(args[3], culture);
var copies = int.Parse(args[4], culture);
var rowsPath = args[5];

var recording = new Regex(@"^\d+-(\d+)-", RegexOptions.CultureInvariant); // the datasets' group pattern for ESC-10
var embedder = new SpectralStatisticsEmbedder();
var augmenter = new ClassicAugmenter();
var audio = new ConcurrentDictionary<string, AudioBuffer>(StringComparer.Ordinal);
var goldFeatures = new ConcurrentDictionary<string, float[]>(StringComparer.Ordinal);
var copyFeatures = new ConcurrentDictionary<(string File, int Seed, int Copy), float[]>();
AudioBuffer Audio(string file) => audio.GetOrAdd(file, AudioFile.ReadMono);
float[] Gold(string file) => goldFeatures.GetOrAdd(file, f => embedder.Embed(Audio(f)));
float[] Copy(string file, int seed, int copy) => copyFeatures.GetOrAdd(
    (file, seed, copy),
    k => embedder.Embed(WavFile.ParseMono(augmenter.CopyAsWritten(Audio(k.File), k.Seed, Path.GetFileName(k.File), k.Copy), k.File)));

var clips = Directory.GetDirectories(folder).Order(StringComparer.Ordinal)
    .SelectMany(d => Directory.GetFiles(d, "*.wav").Order(StringComparer.Ordinal).Select(f => new Clip(f, Path.GetFileName(d))))
    .ToArray();
string RecordingOf(Clip c) => recording.Match(Path.GetFileName(c.File)).Groups[1].Value;
int EscFoldOf(Clip c) => Path.GetFileName(c.File)[0] - '0';

TrainingExample[] Examples(IEnumerable<Clip> gold, int seed, int k) => gold.SelectMany(c =>
        Enumerable.Range(0, k)
            .Select(i => new TrainingExample(Copy(c.File, seed, i), c.Label, $"{c.Id}/classic/{i}", [c.Id], IsSynthetic: true))
            .Prepend(TrainingExample.Gold(Gold(c.File), c.Label, c.Id)))
    .ToArray();

MulticlassModel Fit(TrainingExample[] train, int seed, bool foldWeights)
{
    var counts = train.Where(t => !t.IsSynthetic).GroupBy(e => e.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    var profile = new TrainingDataProfile(train.Length, train[0].Features.Length, counts.Count, counts.Values.Min());
    var parameters = TrainerCandidate.Find(TrainerCandidate.LbfgsName)!.Space(profile).ToDictionary(p => p.Name, p => p.Initial, StringComparer.Ordinal);
    return TrainerSearch.Fit(TrainerCandidate.LbfgsName, parameters, train, seed, foldWeights ? LabelWeights.For(train, ClassWeighting.Balanced) : null);
}

int Right(MulticlassModel model, IReadOnlyList<Clip> set)
{
    if (set.Count == 0)
    {
        return 0;
    }

    var predicted = model.PredictMany(set.Select(c => Gold(c.File)).ToArray());
    return set.Where((c, i) => predicted[i].Label == c.Label).Count();
}

// Cross-validation variants: the search's (grouped by recording, weights from all clips, which are even here),
// grouped with each fold's own class weights, and plain stratified folds (no groups).
(string Name, bool Grouped, bool FoldWeights)[] variants = [("grouped", true, false), ("grouped, fold weights", true, true), ("ungrouped", false, false)];
int[] policies = [0, copies];

var rows = new ConcurrentBag<Row>();
var jobs = Enumerable.Range(firstSeed, seeds).SelectMany(s => Enumerable.Range(1, 5).Select(f => (Seed: s, TestFold: f))).ToArray();
Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, job =>
{
    var random = new Random((7919 * job.Seed) + job.TestFold);
    var test = clips.Where(c => EscFoldOf(c) == job.TestFold).ToArray();
    var pool = clips.Where(c => EscFoldOf(c) != job.TestFold).ToArray();
    var drawn = pool.GroupBy(c => c.Label, StringComparer.Ordinal).SelectMany(g => g.OrderBy(_ => random.Next()).Take(n)).ToArray();
    var drawnRecordings = drawn.Select(RecordingOf).ToHashSet(StringComparer.Ordinal);
    var undrawn = pool.Where(c => !drawnRecordings.Contains(RecordingOf(c))).ToArray();
    var accuracy = new Dictionary<string, double>(StringComparer.Ordinal);
    foreach (var k in policies)
    {
        accuracy[$"build/{k}/test"] = Right(Fit(Examples(drawn, job.Seed, k), job.Seed, false), test) / (double)test.Length;
    }

    var starved = new Dictionary<string, int>(StringComparer.Ordinal);
    foreach (var variant in variants)
    {
        var gold = drawn.Select(c => TrainingExample.Gold(Gold(c.File), c.Label, c.Id, variant.Grouped ? RecordingOf(c) : null)).ToArray();
        var folds = CrossValidationFolds.Assign(gold, 5, job.Seed);
        foreach (var k in policies)
        {
            int heldOutRight = 0, heldOut = 0, starvedRight = 0, starvedCount = 0;
            double testSum = 0, undrawnSum = 0;
            for (var f = 0; f < folds.FoldCount; f++)
            {
                var train = drawn.Where(c => folds.FoldOf(c.Id) != f).ToArray();
                var validation = drawn.Where(c => folds.FoldOf(c.Id) == f).ToArray();
                var model = Fit(Examples(train, job.Seed, k), job.Seed, variant.FoldWeights);
                heldOutRight += Right(model, validation);
                heldOut += validation.Length;
                testSum += Right(model, test) / (double)test.Length;
                undrawnSum += Right(model, undrawn) / (double)undrawn.Length;

                // A label whose group of takes was held out whole trains this fold on fewer clips than the others.
                var shortLabels = train.GroupBy(c => c.Label, StringComparer.Ordinal).Where(g => g.Count() < n - 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
                var ofShort = validation.Where(c => shortLabels.Contains(c.Label)).ToArray();
                starvedRight += Right(model, ofShort);
                starvedCount += ofShort.Length;
            }

            accuracy[$"{variant.Name}/{k}/held-out"] = heldOutRight / (double)heldOut;
            accuracy[$"{variant.Name}/{k}/test"] = testSum / folds.FoldCount;
            accuracy[$"{variant.Name}/{k}/undrawn"] = undrawnSum / folds.FoldCount;
            starved[$"{variant.Name}/{k}/right"] = starvedRight;
            starved[$"{variant.Name}/held-out of a short label"] = starvedCount;
        }
    }

    rows.Add(new Row(job.Seed, job.TestFold, accuracy, starved));
    Console.Error.Write('.');
});
Console.Error.WriteLine();

var ordered = rows.OrderBy(r => r.Seed).ThenBy(r => r.TestFold).ToArray();
File.WriteAllLines(rowsPath, ordered.Select(r => JsonSerializer.Serialize(r)));

double Gain(Row r, string prefix, string set) => 100 * (r.Accuracy[$"{prefix}/{copies}/{set}"] - r.Accuracy[$"{prefix}/0/{set}"]);
string MeanAndError(double[] values)
{
    var mean = values.Average();
    var error = Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (values.Length - 1) / values.Length);
    return string.Create(culture, $"{mean:+0.00;-0.00} ± {error:0.00}");
}

Console.WriteLine(string.Create(culture, $"ESC-10, n = {n} clips per label, classic×{copies} against gold-only, seeds {firstSeed}–{firstSeed + seeds - 1}, {ordered.Length} drawn training sets (each test fold in turn)"));
Console.WriteLine();
Console.WriteLine("| models | scored on | gold-only accuracy | classic accuracy | gain (points, ± standard error over draws) |");
Console.WriteLine("|---|---|---|---|---|");
void Line(string prefix, string set, string models, string scoredOn) => Console.WriteLine(string.Create(
    culture,
    $"| {models} | {scoredOn} | {100 * ordered.Average(r => r.Accuracy[$"{prefix}/0/{set}"]):F1} | {100 * ordered.Average(r => r.Accuracy[$"{prefix}/{copies}/{set}"]):F1} | {MeanAndError(ordered.Select(r => Gain(r, prefix, set)).ToArray())} |"));
Line("build", "test", $"the build's ({n} per label)", "the test fold");
foreach (var variant in variants)
{
    Line(variant.Name, "held-out", $"{variant.Name} folds' ({n - 1} per label)", "their held-out drawn clips (what the search sees)");
    Line(variant.Name, "test", $"{variant.Name} folds'", "the test fold");
    Line(variant.Name, "undrawn", $"{variant.Name} folds'", "undrawn clips of the training folds, recordings not drawn");
}

Console.WriteLine();
Console.WriteLine("Paired differences of the gain (points, ± standard error over draws):");
foreach (var (a, b, what) in new[]
{
    ("grouped|held-out", "build|test", "the search's overrating: its folds on their held-out clips against the build on the test fold"),
    ("grouped|test", "build|test", $"training size: the same test clips, fold models ({n - 1} per label) against the build ({n})"),
    ("grouped|held-out", "grouped|test", "held-out clips: the same fold models, their held-out clips against the test fold"),
    ("grouped|undrawn", "grouped|test", "the training folds' other clips against the test fold, same models"),
    ("grouped, fold weights|held-out", "grouped|held-out", "each fold's own class weights, on the held-out clips"),
    ("ungrouped|held-out", "ungrouped|test", "held-out clips against the test fold, folds without groups"),
})
{
    var (pa, sa) = (a.Split('|')[0], a.Split('|')[1]);
    var (pb, sb) = (b.Split('|')[0], b.Split('|')[1]);
    Console.WriteLine($"- {what}: {MeanAndError(ordered.Select(r => Gain(r, pa, sa) - Gain(r, pb, sb)).ToArray())}");
}

foreach (var variant in variants.Where(v => v.Grouped))
{
    var count = ordered.Sum(r => r.Starved[$"{variant.Name}/held-out of a short label"]);
    var all = ordered.Sum(r => 10 * n);
    Console.WriteLine(string.Create(
        culture,
        $"- {variant.Name}: {count} of {all} held-out clips belong to a label that trained its fold on fewer than {n - 1} clips (its takes of one recording were held out together); on them gold-only scores {100.0 * ordered.Sum(r => r.Starved[$"{variant.Name}/0/right"]) / Math.Max(1, count):F1} and classic {100.0 * ordered.Sum(r => r.Starved[$"{variant.Name}/{copies}/right"]) / Math.Max(1, count):F1}"));
}

internal sealed record Clip(string File, string Label)
{
    public string Id => Path.GetFileName(File);
}

internal sealed record Row(int Seed, int TestFold, Dictionary<string, double> Accuracy, Dictionary<string, int> Starved);
