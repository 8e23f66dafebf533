using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Synthio.Datasets;
using Synthio.Diagnostics;

namespace Synthio.Evaluation;

/// <summary>One train/test arrangement: training sets are drawn from <see cref="TrainPool"/>, scored on <see cref="Test"/>.</summary>
public sealed record SplitRotation(string Name, IReadOnlyList<DatasetClip> TrainPool, IReadOnlyList<DatasetClip> Test);

/// <summary>
/// The held-out splits evaluation understands:
/// <list type="bullet">
/// <item><c>esc-fold:&lt;k&gt;</c> — ESC-style folds: the first character of a file name is its fold; fold k tests, the others train.</item>
/// <item><c>esc-fold:all</c> — every fold tests once (the others train), results pooled over the rotations.</item>
/// <item><c>esc-fold:&lt;a&gt;-&lt;b&gt;</c> — as <c>all</c> within folds a…b only: clips of other folds are never read. A
/// development split: tune on <c>esc-fold:2-5</c>, then confirm once on <c>esc-fold:1</c>, whose clips the tuning never saw.</item>
/// <item><c>fsdd</c> — file names <c>{digit}_{speaker}_{index}.wav</c>: index 0–4 tests, index 5–49 trains.</item>
/// <item><c>stratified:&lt;fraction&gt;</c> — a fixed share of each label tests, chosen by hashing file names; clips of one
/// group (<see cref="DatasetClip.Group"/>) stay on one side.</item>
/// <item><c>declared</c> — the split the dataset declares (the CSV split column).</item>
/// </list>
/// </summary>
public sealed class EvaluationSplit
{
    private readonly Func<Dataset, IReadOnlyList<SplitRotation>> _rotations;

    private EvaluationSplit(string spec, Func<Dataset, IReadOnlyList<SplitRotation>> rotations)
    {
        Spec = spec;
        _rotations = rotations;
    }

    /// <summary>The text the split was parsed from.</summary>
    public string Spec { get; }

    public IReadOnlyList<SplitRotation> Rotations(Dataset dataset)
    {
        var rotations = _rotations(dataset);
        foreach (var r in rotations)
        {
            if (r.Test.Count == 0 || r.TrainPool.Count == 0)
            {
                throw new SynthioException(DiagnosticCodes.BadSplit, $"split '{Spec}' ({r.Name}) leaves {r.TrainPool.Count} training and {r.Test.Count} test clips in '{dataset.Source}'", dataset.Source);
            }
        }

        return rotations;
    }

    public static EvaluationSplit Parse(string spec)
    {
        var text = (spec ?? string.Empty).Trim();
        var colon = text.IndexOf(':');
        var kind = (colon < 0 ? text : text[..colon]).ToLowerInvariant();
        var argument = colon < 0 ? string.Empty : text[(colon + 1)..].Trim();
        switch (kind)
        {
            case "esc-fold" when argument.Equals("all", StringComparison.OrdinalIgnoreCase):
                return new EvaluationSplit(text, EscAllFolds);
            case "esc-fold" when int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var fold) && fold is >= 1 and <= 9:
                return new EvaluationSplit(text, d => new[] { EscFold(d, fold) });
            case "esc-fold" when FoldRange(argument) is var (first, last):
                return new EvaluationSplit(text, d => EscFoldRange(d, first, last));
            case "fsdd" when argument.Length == 0:
                return new EvaluationSplit(text, d => new[] { Fsdd(d) });
            case "stratified" when double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && fraction is > 0 and < 1:
                return new EvaluationSplit(text, d => new[] { Stratified(d, fraction) });
            case "declared" when argument.Length == 0:
                return new EvaluationSplit(text, d => new[] { new SplitRotation("declared", d.Train.ToArray(), d.Test.ToArray()) });
            default:
                throw new SynthioException(DiagnosticCodes.BadSplit, $"unknown split '{spec}' (use esc-fold:<k>, esc-fold:all, esc-fold:<first>-<last>, fsdd, stratified:<test-fraction> or declared)");
        }
    }

    /// <summary>The ESC fold of a clip: the first character of its file name.</summary>
    public static int EscFoldOf(DatasetClip clip)
    {
        var first = clip.FileName.Length > 0 ? clip.FileName[0] : ' ';
        if (first is < '1' or > '9')
        {
            throw new SynthioException(DiagnosticCodes.BadSplit, $"'{clip.FileName}' does not start with an ESC fold number", clip.Path);
        }

        return first - '0';
    }

    /// <summary>The recording index of an FSDD clip (<c>{digit}_{speaker}_{index}.wav</c>).</summary>
    public static int FsddIndexOf(DatasetClip clip)
    {
        var stem = Path.GetFileNameWithoutExtension(clip.FileName);
        var underscore = stem.LastIndexOf('_');
        if (underscore < 0 || !int.TryParse(stem[(underscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new SynthioException(DiagnosticCodes.BadSplit, $"'{clip.FileName}' is not named {{digit}}_{{speaker}}_{{index}}.wav", clip.Path);
        }

        return index;
    }

    private static SplitRotation EscFold(Dataset dataset, int fold) =>
        new($"fold {fold}", dataset.Clips.Where(c => EscFoldOf(c) != fold).ToArray(), dataset.Clips.Where(c => EscFoldOf(c) == fold).ToArray());

    private static IReadOnlyList<SplitRotation> EscAllFolds(Dataset dataset) =>
        dataset.Clips.Select(EscFoldOf).Distinct().Order().Select(f => EscFold(dataset, f)).ToArray();

    /// <summary>"a-b" with 1 ≤ a &lt; b ≤ 9, else null.</summary>
    private static (int First, int Last)? FoldRange(string argument)
    {
        var parts = argument.Split('-');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            && first is >= 1 and <= 9 && last is >= 1 and <= 9 && first < last
                ? (first, last)
                : null;
    }

    private static IReadOnlyList<SplitRotation> EscFoldRange(Dataset dataset, int first, int last)
    {
        // Folds outside the range are dropped before any rotation is formed, so they neither test nor train.
        var inRange = dataset.Clips.Where(c => EscFoldOf(c) is var f && f >= first && f <= last).ToArray();
        // Every fold of the range rotates, so a range the dataset does not fill fails like an empty esc-fold:<k>.
        return Enumerable.Range(first, last - first + 1)
            .Select(f => new SplitRotation($"fold {f} of {first}-{last}", inRange.Where(c => EscFoldOf(c) != f).ToArray(), inRange.Where(c => EscFoldOf(c) == f).ToArray()))
            .ToArray();
    }

    private static SplitRotation Fsdd(Dataset dataset)
    {
        var indexed = dataset.Clips.Select(c => (Clip: c, Index: FsddIndexOf(c))).ToArray();
        return new SplitRotation(
            "fsdd",
            indexed.Where(x => x.Index is >= 5 and <= 49).Select(x => x.Clip).ToArray(),
            indexed.Where(x => x.Index is >= 0 and <= 4).Select(x => x.Clip).ToArray());
    }

    private static SplitRotation Stratified(Dataset dataset, double fraction)
    {
        var train = new List<DatasetClip>();
        var test = new List<DatasetClip>();
        foreach (var group in dataset.Clips.GroupBy(c => c.Label, StringComparer.Ordinal))
        {
            // Ranked by a hash of the file name, so the test set does not move when clips are added elsewhere;
            // a group (near-duplicates) goes to one side whole, so no test clip has its twin in training.
            var clips = group.ToArray();
            var held = clips.Length < 2 ? 0 : Math.Clamp((int)Math.Round(clips.Length * fraction, MidpointRounding.AwayFromZero), 1, clips.Length - 1);
            var chosen = GroupedHoldout.Choose(clips, held, minimumTrain: 1, unit => Rank(group.Key, unit));
            test.AddRange(clips.Where(chosen.Contains));
            train.AddRange(clips.Where(c => !chosen.Contains(c)));
        }

        return new SplitRotation($"stratified {fraction:0.###}", train, test);
    }

    private static string Rank(string label, string unit) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{label}/{unit}")));
}

/// <summary>Draws the small training sets: n clips per label from a pool, with a fixed seed.</summary>
public static class TrainingSetDraw
{
    /// <summary>
    /// For each label (ordinal order) the pool's clips are sorted by path and shuffled with one
    /// <see cref="Random"/> seeded by <paramref name="seed"/>; the first <paramref name="perLabel"/> are
    /// taken (all when null or when the label has fewer). The draw for a smaller n is a subset of the
    /// draw for a larger n with the same seed, so sizes compare on shared clips.
    /// </summary>
    public static IReadOnlyList<DatasetClip> Draw(IReadOnlyList<DatasetClip> pool, int? perLabel, int seed)
    {
        var random = new Random(seed);
        var result = new List<DatasetClip>();
        foreach (var group in pool.GroupBy(c => c.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var clips = group.OrderBy(c => c.Path, StringComparer.Ordinal).ToArray();
            random.Shuffle(clips);
            result.AddRange(perLabel is { } n ? clips.Take(n) : clips);
        }

        return result;
    }
}
