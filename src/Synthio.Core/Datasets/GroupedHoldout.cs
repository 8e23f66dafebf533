namespace Synthio.Datasets;

/// <summary>
/// Picks the clips of one label to hold out when near-duplicates (<see cref="DatasetClip.Group"/>) must stay on
/// one side: whole groups are taken in rank order while they fit the share. Shared by the build's holdout and
/// evaluation's stratified split, so both keep a recording's takes or a speaker's repeats together.
/// </summary>
public static class GroupedHoldout
{
    /// <param name="clips">One label's clips.</param>
    /// <param name="held">How many clips the share asks for.</param>
    /// <param name="minimumTrain">Fewest clips that must stay for training when the fallback holds out a group.</param>
    /// <param name="rank">
    /// The rank of a unit by its name: the file name of an ungrouped clip (or of a group of one clip, so that
    /// singletons rank exactly as they did before groups existed), <c>group/&lt;name&gt;</c> otherwise.
    /// </param>
    public static HashSet<DatasetClip> Choose(IReadOnlyList<DatasetClip> clips, int held, int minimumTrain, Func<string, string> rank)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(rank);
        var units = clips.GroupBy(c => c.Group is null ? "file/" + c.Path : "group/" + c.Group, StringComparer.Ordinal)
            .Select(u => u.ToList())
            .Select(u => (Rank: rank(u.Count == 1 ? u[0].FileName : "group/" + u[0].Group), Clips: u))
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

        // Every group larger than the share: hold out the smallest one if enough clips remain to train on.
        if (test.Count == 0 && held > 0 && units.Count >= 2)
        {
            var smallest = units.MinBy(u => u.Clips.Count).Clips;
            if (clips.Count - smallest.Count >= minimumTrain)
            {
                test.UnionWith(smallest);
            }
        }

        return test;
    }
}
