namespace Synthio.Training;

/// <summary>
/// One row for the classifier. <see cref="SourceIds"/> names the gold clips a synthetic example was made
/// from (a gold example names itself), so cross-validation can keep children with their parents and
/// never validate on a clip whose material was in training.
/// </summary>
public sealed record TrainingExample(float[] Features, string Label, string Id, IReadOnlyList<string> SourceIds, bool IsSynthetic)
{
    /// <summary>
    /// A gold example's group of near-duplicates (see <c>DatasetClip.Group</c>): cross-validation keeps a
    /// label's examples of one group in one fold. Null: a group of its own.
    /// </summary>
    public string? Group { get; init; }

    public static TrainingExample Gold(float[] features, string label, string id, string? group = null) =>
        new(features, label, id, new[] { id }, false) { Group = group };
}
