using Synthio.Diagnostics;
using Synthio.Training;

namespace Synthio.Evaluation;

/// <summary>A held-out clip's features and true label.</summary>
public sealed record HeldOutExample(float[] Features, string Label, string Id);

/// <summary>Gold-only against gold + augmented, each found by the same search and scored on the same held-out clips.</summary>
public sealed record HoldoutComparisonResult(
    TrainerSearchResult GoldOnly,
    ClassificationMetrics GoldOnlyMetrics,
    TrainerSearchResult? Augmented,
    ClassificationMetrics? AugmentedMetrics);

/// <summary>
/// What the build report needs: trains gold-only and gold + synthetic with the same search budget and
/// seed, and scores both on held-out clips that neither training (nor the augmentation) saw.
/// </summary>
public static class HoldoutComparison
{
    /// <param name="gold">The gold training examples.</param>
    /// <param name="synthetic">Synthetic examples made from <paramref name="gold"/> only; empty skips the augmented run.</param>
    /// <param name="heldOut">Held-out clips; must not be among the sources of <paramref name="synthetic"/>.</param>
    /// <param name="search">Finds the model for a training set, with one budget and seed for both (a <see cref="CachedTrainerSearch"/> in builds).</param>
    public static HoldoutComparisonResult Run(
        IReadOnlyList<TrainingExample> gold,
        IReadOnlyList<TrainingExample> synthetic,
        IReadOnlyList<HeldOutExample> heldOut,
        Func<IReadOnlyList<TrainingExample>, TrainerSearchResult> search)
    {
        if (heldOut.Count == 0)
        {
            throw new SynthioException(DiagnosticCodes.NoHoldout, "there are no held-out clips to compare gold-only and augmented training on");
        }

        var heldIds = heldOut.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        var leaking = synthetic.FirstOrDefault(s => s.SourceIds.Any(heldIds.Contains));
        if (leaking is not null)
        {
            throw new SynthioException(DiagnosticCodes.NoHoldout, $"synthetic clip '{leaking.Id}' was made from a held-out clip; the comparison would be meaningless");
        }

        var labels = gold.Select(g => g.Label).Concat(heldOut.Select(h => h.Label)).Distinct(StringComparer.Ordinal).ToArray();
        var truth = heldOut.Select(h => h.Label).ToArray();
        var features = heldOut.Select(h => h.Features).ToArray();

        var goldOnly = search(gold);
        var goldMetrics = ClassificationMetrics.Compute(truth, goldOnly.Model.PredictMany(features).Select(p => p.Label).ToArray(), labels);
        if (synthetic.Count == 0)
        {
            return new HoldoutComparisonResult(goldOnly, goldMetrics, null, null);
        }

        var augmented = search(gold.Concat(synthetic).ToArray());
        var augmentedMetrics = ClassificationMetrics.Compute(truth, augmented.Model.PredictMany(features).Select(p => p.Label).ToArray(), labels);
        return new HoldoutComparisonResult(goldOnly, goldMetrics, augmented, augmentedMetrics);
    }
}
