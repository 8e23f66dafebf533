using Synthio.Training;

namespace Synthio.Policy;

/// <summary>Settings of the automatic augmentation-policy search (<c>Multiplier="auto"</c>).</summary>
public sealed record PolicySearchOptions
{
    /// <summary>Wall-clock limit for the whole search (<c>SynthioPolicyBudget</c>, <c>--policy-budget</c>).</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(DefaultBudgetSeconds);

    public const double DefaultBudgetSeconds = 120;

    /// <summary>Cross-validation folds; fewer when a label has fewer training clips (never below 2).</summary>
    public int Folds { get; init; } = 5;

    public int Seed { get; init; }

    public IReadOnlyList<AugmentationPolicy> Candidates { get; init; } = AugmentationPolicy.DefaultCandidates;

    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>How candidates' models weight labels, as the classifier's own training will (<see cref="LabelWeights"/>).</summary>
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.Balanced;
}
