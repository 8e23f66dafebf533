using Synthio.Audio;

namespace Synthio.Generation;

/// <summary>
/// One training clip handed to the embedded generator. <paramref name="Id"/> is the caller's stable name
/// for it (a content hash or a dataset-relative path); generated clips report the ids they drew from.
/// </summary>
public sealed record GoldClip(string Id, AudioBuffer Audio);

/// <summary>A generated clip and the gold clips it was assembled from (to keep it in its parents' fold).</summary>
public sealed record GeneratedClip(AudioBuffer Audio, IReadOnlyList<string> SourceIds);
