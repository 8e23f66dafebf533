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

            // Clips of one group (near-duplicates) are held out or kept together; an ungrouped clip, or a group
            // of one clip, is ranked by its file name exactly as before groups existed.
            var units = clips.GroupBy(c => c.Group is null ? "file/" + c.FileName : "group/" + c.Group, StringComparer.Ordinal)
                .Select(u => u.ToList())
                .Select(u => (Rank: Rank(group.Key, u.Count == 1 ? u[0].FileName : "group/" + u[0].Group, seed), Clips: u))
                .OrderBy(u => u.Rank, StringComparer.Ordinal)
                .ToList();
            var test = new HashSet<DatasetClip>();
            foreach (var unit in units)
            {
                if (test.Count + unit.Clips.Count <= held)
                {
                    test.UnionWith(unit.Clips);
                }
            }

            // Every group larger than the share: hold out the smallest one if that leaves two to train on.
            if (test.Count == 0 && held > 0 && units.Count >= 2)
            {
                var smallest = units.MinBy(u => u.Clips.Count).Clips;
                if (clips.Count - smallest.Count >= 2)
                {
                    test.UnionWith(smallest);
                }
            }

            result.AddRange(clips.Select(c => c with { Split = test.Contains(c) ? ClipSplit.Test : ClipSplit.Train }));
        }

        return dataset.WithClips(result);
    }

    private static string Rank(string label, string unit, int seed) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{label}/{unit}")));
}
