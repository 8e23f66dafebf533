using System.Security.Cryptography;
using System.Text;

namespace Synthio.Datasets;

/// <summary>
/// Marks a stratified share of each label's clips as held out, for the build's report. Membership is
/// decided by ranking a hash of each clip's file name, so adding a clip moves at most that clip and one
/// other: the synthetic data of unchanged labels keeps its cache keys. Clips of one group
/// (<see cref="DatasetClip.Group"/>) are held out or kept together.
/// </summary>
public static class HoldoutSplitter
{
    /// <summary>Labels with fewer clips than this keep all of them for training.</summary>
    public const int MinimumClipsForHoldout = 3;

    public static Dataset Apply(Dataset dataset, double fraction, int seed)
    {
        if (fraction <= 0 || dataset.Clips.Any(c => c.Split == ClipSplit.Test))
        {
            // No holdout asked for, or the dataset declares its own split: respect it.
            return dataset;
        }

        var result = new List<DatasetClip>();
        foreach (var group in dataset.Clips.GroupBy(c => c.Label, StringComparer.Ordinal))
        {
            var clips = group.ToList();
            var held = clips.Count < MinimumClipsForHoldout
                ? 0
                : Math.Clamp((int)Math.Round(clips.Count * fraction, MidpointRounding.AwayFromZero), 1, clips.Count - 2);

            // Near-duplicates are held out or kept together; an ungrouped clip ranks by its file name as before groups.
            var test = GroupedHoldout.Choose(clips, held, minimumTrain: 2, unit => Rank(group.Key, unit, seed));
            result.AddRange(clips.Select(c => c with { Split = test.Contains(c) ? ClipSplit.Test : ClipSplit.Train }));
        }

        return dataset.WithClips(result);
    }

    private static string Rank(string label, string unit, int seed) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{label}/{unit}")));
}
