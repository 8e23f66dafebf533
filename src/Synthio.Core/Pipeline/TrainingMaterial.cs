using Synthio.Audio;
using Synthio.Datasets;

namespace Synthio.Pipeline;

/// <summary>A decoded gold training clip of the dataset. <see cref="Id"/> is the SHA-256 of the file's bytes.</summary>
public sealed record TrainingClip(string Id, string Label, string Path, AudioBuffer Audio)
{
    /// <summary>The dataset clip's group of near-duplicates (<see cref="DatasetClip.Group"/>); null when it has none.</summary>
    public string? Group { get; init; }
}

/// <summary>The gold training clips of a run, grouped by label: what generators and scorers are fitted on.</summary>
public sealed class TrainingMaterial
{
    public TrainingMaterial(IEnumerable<TrainingClip> clips)
    {
        Clips = clips.OrderBy(c => c.Label, StringComparer.Ordinal).ThenBy(c => c.Id, StringComparer.Ordinal).ToArray();
        ByLabel = Clips
            .GroupBy(c => c.Label, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TrainingClip>)g.ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<TrainingClip> Clips { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<TrainingClip>> ByLabel { get; }

    public IReadOnlyList<string> Labels => ByLabel.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>A stable fingerprint of the material (labels and clip hashes) for cache keys.</summary>
    public IReadOnlyList<string> Fingerprint => Clips.Select(c => $"{c.Label}:{c.Id}").ToArray();
}
