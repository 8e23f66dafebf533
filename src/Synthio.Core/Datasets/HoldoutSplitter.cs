using System.Security.Cryptography;
using System.Text;

namespace Synthio.Datasets;

/// <summary>
/// Marks a stratified share of each label's clips as held out, for the build's report. Membership is
/// decided by ranking a hash of each clip's file name, so adding a clip moves at most that clip and one
/// other: the synthetic data of unchanged labels keeps its cache keys.
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
            var ranked = clips.OrderBy(c => Rank(c, seed), StringComparer.Ordinal).ToList();
            for (var i = 0; i < ranked.Count; i++)
            {
                result.Add(ranked[i] with { Split = i < held ? ClipSplit.Test : ClipSplit.Train });
            }
        }

        return dataset.WithClips(result);
    }

    private static string Rank(DatasetClip clip, int seed) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{clip.Label}/{clip.FileName}")));
}
