namespace Synthio.Training;

/// <summary>
/// How far one model leads another on the same validation clips, and whether the lead is more than luck:
/// the mean of the per-clip differences and its standard error, treating clips as independent. The policy
/// search and the trainer search both decide by it (the one-standard-error rule).
/// </summary>
public static class PairedComparison
{
    /// <summary>
    /// Mean Σ wᵢ(aᵢ − bᵢ) and its standard error √(Σ wᵢ²(dᵢ − mean)² · n/(n − 1)); <paramref name="weights"/>
    /// sum to 1, and null means 1/n each, which gives the plain mean and s/√n.
    /// </summary>
    public static (double Mean, double StandardError) Difference(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<double>? weights = null)
    {
        var n = a.Count;
        if (b.Count != n || (weights is not null && weights.Count != n))
        {
            throw new ArgumentException($"paired lists differ in length ({n}, {b.Count}, {weights?.Count ?? n})");
        }

        if (n == 0)
        {
            return (0, 0);
        }

        double Weight(int i) => weights?[i] ?? 1.0 / n;
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += Weight(i) * (a[i] - b[i]);
        }

        if (n < 2)
        {
            return (mean, 0);
        }

        var variance = 0.0;
        for (var i = 0; i < n; i++)
        {
            var d = a[i] - b[i] - mean;
            variance += Weight(i) * Weight(i) * d * d;
        }

        return (mean, Math.Sqrt(variance * n / (n - 1)));
    }
}
