using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Training;

namespace Synthio.Evaluation;

/// <summary>
/// Turns clips into <see cref="TrainingExample"/>s with their features. A gold example's id is its full
/// path; a synthetic example's sources are the full paths of its gold clips, so the ids match and
/// cross-validation can keep children with their parents.
/// </summary>
public static class TrainingExamples
{
    public static IReadOnlyList<TrainingExample> FromGold(IReadOnlyList<DatasetClip> clips, FeatureCache features, int parallelism, CancellationToken ct = default)
    {
        var vectors = features.ForFiles(clips.Select(c => c.Path).ToArray(), parallelism, ct);
        return clips.Select((c, i) => TrainingExample.Gold(vectors[i], c.Label, Path.GetFullPath(c.Path), c.Group)).ToArray();
    }

    /// <param name="mode">Names in-memory clips (<c>{mode}/{label}/{index}</c>) and error messages.</param>
    public static IReadOnlyList<TrainingExample> FromAugmented(IReadOnlyList<AugmentedClip> clips, FeatureCache features, int parallelism, string mode, CancellationToken ct = default)
    {
        var result = new TrainingExample[clips.Count];
        Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct }, i =>
        {
            var clip = clips[i];
            if ((clip.Path is null) == (clip.Audio is null))
            {
                throw new SynthioException(DiagnosticCodes.AugmentationFailed, $"mode '{mode}' returned a clip with {(clip.Path is null ? "neither" : "both")} a path and audio");
            }

            var vector = clip.Path is not null ? features.ForFile(clip.Path) : features.Embedder.Embed(clip.Audio!);
            var id = clip.Path is not null ? Path.GetFullPath(clip.Path) : $"{mode}/{clip.Label}/{i}";
            result[i] = new TrainingExample(vector, clip.Label, id, clip.SourcePaths.Select(Path.GetFullPath).ToArray(), IsSynthetic: true);
        });
        return result;
    }
}
