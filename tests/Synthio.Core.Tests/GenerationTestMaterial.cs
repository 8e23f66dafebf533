using Synthio.Audio;
using Synthio.Filtering;
using Synthio.Generation;
using Synthio.Tests;

namespace Synthio.Core.Tests;

/// <summary>
/// ESC-10 clips shared by the generation, scorer, diversity and alignment tests: per label, a few
/// training clips from folds 2–3 and held-out clips from fold 5 (another fold, other source recordings).
/// </summary>
public sealed class GenerationTestMaterial
{
    public const int TrainingPerLabel = 5;
    public const int HeldOutPerLabel = 3;

    private static readonly Lazy<(IReadOnlyDictionary<string, IReadOnlyList<GoldClip>> Training, IReadOnlyDictionary<string, IReadOnlyList<GoldClip>> HeldOut)> Loaded = new(Load);
    private static readonly Lazy<EmbeddedLabelScorer> FittedScorer = new(() => EmbeddedLabelScorer.Fit(
        Loaded.Value.Training.SelectMany(kv => kv.Value.Select(c => new ScorerTrainingClip(kv.Key, c.Audio, c.Id))).ToArray()));

    public GenerationTestMaterial()
    {
        (Training, HeldOut) = Loaded.Value;
    }

    /// <summary>The embedded scorer fitted on <see cref="Training"/> (once per test run: fitting is the slow part).</summary>
    public EmbeddedLabelScorer Scorer => FittedScorer.Value;

    private static (IReadOnlyDictionary<string, IReadOnlyList<GoldClip>>, IReadOnlyDictionary<string, IReadOnlyList<GoldClip>>) Load()
    {
        var root = TestPaths.Esc10;
        var training = new Dictionary<string, IReadOnlyList<GoldClip>>(StringComparer.Ordinal);
        var heldOut = new Dictionary<string, IReadOnlyList<GoldClip>>(StringComparer.Ordinal);
        foreach (var labelDir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var label = Path.GetFileName(labelDir);
            var files = Directory.EnumerateFiles(labelDir, "*.wav").Order(StringComparer.Ordinal).ToArray();
            training[label] = files.Where(f => Fold(f) is 2 or 3).Take(TrainingPerLabel).Select(Load).ToArray();
            heldOut[label] = files.Where(f => Fold(f) == 5).Take(HeldOutPerLabel).Select(Load).ToArray();
        }

        return (training, heldOut);
    }

    public IReadOnlyDictionary<string, IReadOnlyList<GoldClip>> Training { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<GoldClip>> HeldOut { get; }

    public IReadOnlyList<string> Labels => Training.Keys.Order(StringComparer.Ordinal).ToArray();

    public double ClipSeconds => Training.Values.First()[0].Audio.DurationSeconds;

    private static int Fold(string path) => int.Parse(Path.GetFileName(path).Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static GoldClip Load(string path) => new(Path.GetFileName(path), WavFile.ReadMono(path));
}
