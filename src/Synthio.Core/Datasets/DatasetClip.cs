namespace Synthio.Datasets;

/// <summary>Which part of a dataset a clip belongs to.</summary>
public enum ClipSplit
{
    /// <summary>Usable for generation, alignment and training.</summary>
    Train,

    /// <summary>Held out for measuring: never seen by generation, alignment or training.</summary>
    Test,
}

/// <summary>One labelled audio file of a dataset.</summary>
public sealed record DatasetClip(string Path, string Label, ClipSplit Split = ClipSplit.Train)
{
    /// <summary>The file name without folders, for messages and stable ordering.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>
    /// Clips of one label with the same group are near-duplicates (one recording, one speaker): every split
    /// keeps them on one side. Null: the clip is a group of its own.
    /// </summary>
    public string? Group { get; init; }
}
