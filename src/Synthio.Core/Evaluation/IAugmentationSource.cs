using Synthio.Audio;
using Synthio.Datasets;
using Synthio.Policy;

namespace Synthio.Evaluation;

/// <summary>
/// One augmented clip for training. Exactly one of <see cref="Path"/> (a WAV file) and
/// <see cref="Audio"/> (samples in memory) is set. <see cref="SourcePaths"/> are the gold clips it was
/// made from (full paths as in the training subset), so cross-validation keeps it with its parents.
/// </summary>
public sealed record AugmentedClip(string Label, IReadOnlyList<string> SourcePaths, string? Path = null, AudioBuffer? Audio = null);

/// <summary>
/// Supplies the augmented clips of one evaluation mode for a drawn training subset. The subset holds
/// only training clips; a source must never read the test split. Sources cache their own work across runs.
/// </summary>
public interface IAugmentationSource
{
    /// <summary>The mode name in results and reports (<c>gold</c>, <c>classic</c>, <c>synthio</c>, …).</summary>
    string Mode { get; }

    Task<IReadOnlyList<AugmentedClip>> AugmentAsync(Dataset trainSubset, int seed, CancellationToken ct);

    /// <summary>The augmentation policy the last <see cref="AugmentAsync"/> call used, when the mode chooses one.</summary>
    string? LastPolicy => null;

    /// <summary>The policy search behind <see cref="LastPolicy"/>: every candidate's cross-validated figures.</summary>
    PolicyDecision? LastPolicySearch => null;
}

/// <summary>The baseline mode: no augmentation, the gold clips alone.</summary>
public sealed class GoldOnlySource : IAugmentationSource
{
    public const string ModeName = "gold";

    public string Mode => ModeName;

    public Task<IReadOnlyList<AugmentedClip>> AugmentAsync(Dataset trainSubset, int seed, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<AugmentedClip>>(Array.Empty<AugmentedClip>());
}
