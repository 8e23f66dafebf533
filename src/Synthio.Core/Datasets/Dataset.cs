namespace Synthio.Datasets;

/// <summary>A labelled audio dataset: its clips, sorted by label then path so every run sees one order.</summary>
public sealed class Dataset
{
    public Dataset(string source, IEnumerable<DatasetClip> clips)
    {
        Source = source;
        Clips = clips
            .OrderBy(c => c.Label, StringComparer.Ordinal)
            .ThenBy(c => c.Path, StringComparer.Ordinal)
            .ToArray();
        Labels = Clips.Select(c => c.Label).Distinct(StringComparer.Ordinal).OrderBy(l => l, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The folder or CSV file the dataset was read from.</summary>
    public string Source { get; }

    public IReadOnlyList<DatasetClip> Clips { get; }

    public IReadOnlyList<string> Labels { get; }

    public IEnumerable<DatasetClip> Train => Clips.Where(c => c.Split == ClipSplit.Train);

    public IEnumerable<DatasetClip> Test => Clips.Where(c => c.Split == ClipSplit.Test);

    public Dataset WithClips(IEnumerable<DatasetClip> clips) => new(Source, clips);
}
