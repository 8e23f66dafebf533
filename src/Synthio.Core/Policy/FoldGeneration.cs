using Synthio.Audio;
using Synthio.Pipeline;

namespace Synthio.Policy;

/// <summary>One fold of the policy search: generation may read <see cref="Train"/> only.</summary>
public sealed record PolicyFold(int Index, IReadOnlyList<TrainingClip> Train, IReadOnlyList<TrainingClip> Validation);

/// <summary>A synthetic clip made inside a fold, with the gold clips (keys) it was made from.</summary>
public sealed record FoldSyntheticClip(string Label, string Key, IReadOnlyList<string> SourceIds, AudioBuffer Audio);

/// <summary>What a fold's generation produced, and the manifest that records it (relative to the run's output).</summary>
public sealed record FoldGeneration(IReadOnlyList<FoldSyntheticClip> Clips, string? Manifest);

/// <summary>Runs Synthio generation on one fold's training clips (<see cref="FoldPipelineGenerator"/> in the product).</summary>
public interface IFoldGenerator
{
    /// <summary>Generates <paramref name="copies"/> label-consistent clips per training clip of the fold, from those clips only.</summary>
    Task<FoldGeneration> GenerateAsync(PolicyFold fold, int copies, CancellationToken ct);
}
