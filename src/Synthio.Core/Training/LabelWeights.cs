using System.Globalization;

namespace Synthio.Training;

/// <summary>How training examples are weighted by their label (<c>SynthioClassWeights</c>, <c>--class-weights</c>).</summary>
public enum ClassWeighting
{
    /// <summary>Each label counts as much as any other in training, however many gold clips it has.</summary>
    Balanced,

    /// <summary>Every example counts once: a label with more clips pulls the model towards itself.</summary>
    None,
}

/// <summary>
/// Per-label example weights that let every label count alike when the gold clips are unevenly spread: a label's
/// weight is the mean number of gold clips per label over its own number. Without them a label with eight times
/// the clips of another pulls the doubtful calls towards itself (<c>bench/results/imbalance</c> measures what the
/// weights give back). The weights follow the gold clips alone, and a label's synthetic clips take its weight, so
/// augmentation keeps the share it was given. Where every label has as many gold clips as any other the weights
/// would all be 1, and none are used: training is then exactly what it is unweighted.
/// </summary>
public static class LabelWeights
{
    /// <summary>The weight of each label, or null when none are needed (or wanted).</summary>
    public static IReadOnlyDictionary<string, double>? For(IEnumerable<TrainingExample> data, ClassWeighting weighting)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (weighting == ClassWeighting.None)
        {
            return null;
        }

        var gold = data.Where(e => !e.IsSynthetic).GroupBy(e => e.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        if (gold.Count < 2 || gold.Values.Distinct().Count() == 1)
        {
            return null;
        }

        var mean = gold.Values.Average();
        return gold.ToDictionary(p => p.Key, p => mean / p.Value, StringComparer.Ordinal);
    }

    /// <summary>One line for logs and reports: the spread of gold clips per label and of the weights.</summary>
    public static string Describe(IReadOnlyDictionary<string, double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var lightest = weights.MinBy(p => p.Value);
        var heaviest = weights.MaxBy(p => p.Value);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"labels weighted to count alike: '{heaviest.Key}' ×{heaviest.Value:0.##} (fewest gold clips) to '{lightest.Key}' ×{lightest.Value:0.##} (most)");
    }

    /// <summary>Parses <c>balanced</c> or <c>none</c>; null for anything else.</summary>
    public static ClassWeighting? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "balanced" or "" or null => ClassWeighting.Balanced,
        "none" => ClassWeighting.None,
        _ => null,
    };
}
