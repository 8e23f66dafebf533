using System.Text.Json.Serialization;

namespace Synthio.Policy;

/// <summary>One candidate's cross-validated figures, as the manifest and the build report show them.</summary>
public sealed record PolicyCandidateScore
{
    public required string Policy { get; init; }

    /// <summary>False when the budget ran out before every fold could score it (see <see cref="Note"/>).</summary>
    public bool Evaluated { get; init; }

    /// <summary>Accuracy over all validation clips (every training clip is validated once).</summary>
    public double? Accuracy { get; init; }

    /// <summary>The selection score: mean probability the model gave each validation clip's true label.</summary>
    public double? Score { get; init; }

    /// <summary>Accuracy of each fold's validation clips.</summary>
    public IReadOnlyList<double>? FoldAccuracies { get; init; }

    /// <summary>This candidate's score minus the best candidate's (≤ 0).</summary>
    public double? DifferenceFromBest { get; init; }

    /// <summary>Standard error of that difference, from the paired per-clip outcomes.</summary>
    public double? StandardError { get; init; }

    /// <summary>Extra clips it added per fold, on average.</summary>
    public double? AugmentedClipsPerFold { get; init; }

    public string? Note { get; init; }
}

/// <summary>
/// The clips of one cross-validation fold: generation in that fold saw only <see cref="Train"/>; the
/// candidates were scored on <see cref="Validation"/>. Ids are the gold clips' SHA-256 keys.
/// </summary>
public sealed record PolicyFoldRecord(int Index, IReadOnlyList<string> Train, IReadOnlyList<string> Validation, int SynthioCopies, string? Manifest);

/// <summary>What the automatic policy search chose and why (manifest <c>policy</c> section).</summary>
public sealed record PolicyDecision
{
    /// <summary>The policy used (its <see cref="AugmentationPolicy.Name"/>).</summary>
    public required string Chosen { get; init; }

    /// <summary>The candidate with the highest cross-validated score.</summary>
    public required string Best { get; init; }

    public required string Reason { get; init; }

    /// <summary>How candidates were scored (the reference trainer, folds, the selection rule).</summary>
    public required string Method { get; init; }

    public int Folds { get; init; }

    public int ValidationClips { get; init; }

    public double BudgetSeconds { get; init; }

    public double ElapsedSeconds { get; init; }

    public required IReadOnlyList<PolicyCandidateScore> Candidates { get; init; }

    public required IReadOnlyList<PolicyFoldRecord> FoldSets { get; init; }

    [JsonIgnore]
    public AugmentationPolicy ChosenPolicy => AugmentationPolicy.Parse(Chosen);
}
