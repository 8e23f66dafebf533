namespace Synthio.Filtering;

/// <summary>
/// L2-regularised multinomial logistic regression fitted by Nesterov-accelerated gradient descent with a
/// step from a Lipschitz bound, so it needs no tuning and always converges on small, separable data.
/// </summary>
internal static class SoftmaxRegression
{
    public sealed record Model(double[][] Weights, double[] Bias);

    public static Model Train(double[][] x, int[] y, int classes, double l2, int iterations, Model? start)
    {
        var n = x.Length;
        var d = x[0].Length;
        var maxNorm = x.Max(row => row.Sum(v => v * v)) + 1;
        var step = 1.0 / ((0.5 * maxNorm) + l2);

        var w = start is null ? NewMatrix(classes, d) : start.Weights.Select(r => (double[])r.Clone()).ToArray();
        var b = start is null ? new double[classes] : (double[])start.Bias.Clone();
        var wPrev = w.Select(r => (double[])r.Clone()).ToArray();
        var bPrev = (double[])b.Clone();
        var lookW = NewMatrix(classes, d);
        var lookB = new double[classes];
        var gradW = NewMatrix(classes, d);
        var gradB = new double[classes];
        var probabilities = new double[classes];

        for (var t = 1; t <= iterations; t++)
        {
            var momentum = (t - 1.0) / (t + 2.0);
            for (var k = 0; k < classes; k++)
            {
                for (var j = 0; j < d; j++)
                {
                    lookW[k][j] = w[k][j] + (momentum * (w[k][j] - wPrev[k][j]));
                    gradW[k][j] = l2 * lookW[k][j];
                }

                lookB[k] = b[k] + (momentum * (b[k] - bPrev[k]));
                gradB[k] = 0;
            }

            for (var i = 0; i < n; i++)
            {
                var row = x[i];
                var max = double.NegativeInfinity;
                for (var k = 0; k < classes; k++)
                {
                    var v = lookB[k];
                    var wk = lookW[k];
                    for (var j = 0; j < d; j++)
                    {
                        v += wk[j] * row[j];
                    }

                    probabilities[k] = v;
                    max = Math.Max(max, v);
                }

                double sum = 0;
                for (var k = 0; k < classes; k++)
                {
                    probabilities[k] = Math.Exp(probabilities[k] - max);
                    sum += probabilities[k];
                }

                for (var k = 0; k < classes; k++)
                {
                    var error = ((probabilities[k] / sum) - (y[i] == k ? 1 : 0)) / n;
                    gradB[k] += error;
                    var gk = gradW[k];
                    for (var j = 0; j < d; j++)
                    {
                        gk[j] += error * row[j];
                    }
                }
            }

            for (var k = 0; k < classes; k++)
            {
                (wPrev[k], w[k]) = (w[k], wPrev[k]);
                for (var j = 0; j < d; j++)
                {
                    w[k][j] = lookW[k][j] - (step * gradW[k][j]);
                }

                bPrev[k] = b[k];
                b[k] = lookB[k] - (step * gradB[k]);
            }
        }

        return new Model(w, b);
    }

    public static double[] Logits(double[] z, double[][] weights, double[] bias)
    {
        var logits = new double[bias.Length];
        for (var k = 0; k < bias.Length; k++)
        {
            var v = bias[k];
            for (var j = 0; j < z.Length; j++)
            {
                v += weights[k][j] * z[j];
            }

            logits[k] = v;
        }

        return logits;
    }

    public static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(v => Math.Exp(v - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(v => v / sum).ToArray();
    }

    private static double[][] NewMatrix(int rows, int columns) => Enumerable.Range(0, rows).Select(_ => new double[columns]).ToArray();
}

/// <summary>The regularised upper incomplete gamma function Q(a, x) (chi-square tails).</summary>
internal static class Gamma
{
    public static double UpperRegularized(double a, double x)
    {
        if (x <= 0)
        {
            return 1;
        }

        if (x < a + 1)
        {
            // Series for P(a, x).
            double sum = 1 / a, term = sum;
            for (var n = 1; n < 500; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * 1e-15)
                {
                    break;
                }
            }

            return Math.Clamp(1 - (sum * Math.Exp((-x) + (a * Math.Log(x)) - LogGamma(a))), 0, 1);
        }

        // Continued fraction for Q(a, x) (modified Lentz).
        const double tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 500; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = b + (an / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return Math.Clamp(Math.Exp((-x) + (a * Math.Log(x)) - LogGamma(a)) * h, 0, 1);
    }

    /// <summary>Lanczos approximation (g = 7, n = 9) of ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        ReadOnlySpan<double> g =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }

        x -= 1;
        var a = g[0];
        var t = x + 7.5;
        for (var i = 1; i < 9; i++)
        {
            a += g[i] / (x + i);
        }

        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(a);
    }
}
