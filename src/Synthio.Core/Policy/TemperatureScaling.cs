namespace Synthio.Policy;

/// <summary>
/// Rescales a candidate's predicted probabilities by one temperature, fitted by maximum likelihood on the
/// validation clips it is scored on: p'(y) ∝ p(y)^(1/T). More training rows make the reference trainer
/// sharper whether or not they make it more often right, and a raw true-label probability rewards that
/// sharpness alone; after each candidate is calibrated the same way, only how well it ranks the true label
/// counts. One parameter per candidate, fitted alike for all, so the optimism of fitting and scoring on the
/// same clips is shared.
/// </summary>
public static class TemperatureScaling
{
    private const double Floor = 1e-12;
    private const double LogMinTemperature = -3.5; // T ≈ 0.03
    private const double LogMaxTemperature = 3.5;  // T ≈ 33

    /// <summary>
    /// The calibrated probability of each clip's true label. <paramref name="probabilities"/>[i] holds clip i's
    /// probability for every label and <paramref name="truth"/>[i] the index of its true label.
    /// </summary>
    public static double[] CalibratedTrueLabelProbabilities(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> truth)
    {
        var temperature = FitTemperature(probabilities, truth);
        return Enumerable.Range(0, probabilities.Count).Select(i => TrueLabelProbability(probabilities[i], truth[i], temperature)).ToArray();
    }

    /// <summary>The temperature that maximises the true labels' log-likelihood (golden-section search on log T).</summary>
    public static double FitTemperature(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> truth)
    {
        if (probabilities.Count == 0)
        {
            return 1;
        }

        // The log-likelihood is concave in 1/T for a softmax of fixed logits, so it is unimodal in log T.
        double NegativeLogLikelihood(double logTemperature)
        {
            var temperature = Math.Exp(logTemperature);
            var total = 0.0;
            for (var i = 0; i < probabilities.Count; i++)
            {
                total -= Math.Log(Math.Max(TrueLabelProbability(probabilities[i], truth[i], temperature), Floor));
            }

            return total;
        }

        var ratio = (Math.Sqrt(5) - 1) / 2;
        double low = LogMinTemperature, high = LogMaxTemperature;
        var a = high - ratio * (high - low);
        var b = low + ratio * (high - low);
        double fa = NegativeLogLikelihood(a), fb = NegativeLogLikelihood(b);
        for (var step = 0; step < 60 && high - low > 1e-6; step++)
        {
            if (fa <= fb)
            {
                high = b;
                b = a;
                fb = fa;
                a = high - ratio * (high - low);
                fa = NegativeLogLikelihood(a);
            }
            else
            {
                low = a;
                a = b;
                fa = fb;
                b = low + ratio * (high - low);
                fb = NegativeLogLikelihood(b);
            }
        }

        return Math.Exp((low + high) / 2);
    }

    private static double TrueLabelProbability(double[] probabilities, int truth, double temperature)
    {
        // Softmax of log p / T, shifted by the largest term for stability.
        var largest = double.NegativeInfinity;
        for (var k = 0; k < probabilities.Length; k++)
        {
            largest = Math.Max(largest, Math.Log(Math.Max(probabilities[k], Floor)) / temperature);
        }

        var sum = 0.0;
        var own = 0.0;
        for (var k = 0; k < probabilities.Length; k++)
        {
            var term = Math.Exp(Math.Log(Math.Max(probabilities[k], Floor)) / temperature - largest);
            sum += term;
            if (k == truth)
            {
                own = term;
            }
        }

        return own / sum;
    }
}
