namespace Synthio.Language;

/// <summary>The sound events and background scenes of a caption (prompt 1's JSON reply).</summary>
public sealed record SoundComponents(IReadOnlyList<string> Events, IReadOnlyList<string> Scenes)
{
    public static SoundComponents Empty { get; } = new(Array.Empty<string>(), Array.Empty<string>());

    public IEnumerable<string> All => Events.Concat(Scenes);
}
