using Synthio.Policy;

namespace Synthio.Core.Tests.Policy;

/// <summary>The calibration that keeps a sharper model from winning the policy search on sharpness alone.</summary>
public class TemperatureScalingTests
{
    /// <summary>Probabilities over four labels for 40 clips: mostly right, some wrong, of varied confidence.</summary>
    private static (double[][] Probabilities, int[] Truth) Predictions(int seed)
    {
        var random = new Random(seed);
        var probabilities = new double[40][];
        var truth = new int[40];
        for (var i = 0; i < probabilities.Length; i++)
        {
            truth[i] = i % 4;
            var logits = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2).ToArray();
            logits[random.NextDouble() < 0.7 ? truth[i] : (truth[i] + 1) % 4] += 1 + random.NextDouble() * 2;
            probabilities[i] = Softmax(logits, 1);
        }

        return (probabilities, truth);
    }

    private static double[] Softmax(double[] logits, double sharpness)
    {
        var largest = logits.Max();
        var terms = logits.Select(l => Math.Exp((l - largest) * sharpness)).ToArray();
        return terms.Select(t => t / terms.Sum()).ToArray();
    }

    /// <summary>p(y)^s, renormalised: the same ranking at another confidence.</summary>
    private static double[] Sharpen(double[] probabilities, double sharpness) => Softmax(probabilities.Select(p => Math.Log(p)).ToArray(), sharpness);

    [Fact]
    public void ASharperCopyOfTheSamePredictionsScoresTheSameAfterCalibration()
    {
        var (probabilities, truth) = Predictions(seed: 3);
        var sharper = probabilities.Select(p => Sharpen(p, 4)).ToArray();

        // Raw, the sharper copy looks better on the true label's probability although it ranks nothing differently.
        var rawMean = Enumerable.Range(0, 40).Average(i => probabilities[i][truth[i]]);
        var rawSharperMean = Enumerable.Range(0, 40).Average(i => sharper[i][truth[i]]);
        Assert.True(rawSharperMean > rawMean + 0.05, $"raw {rawMean:F3} vs sharper {rawSharperMean:F3}");

        var calibrated = TemperatureScaling.CalibratedTrueLabelProbabilities(probabilities, truth);
        var calibratedSharper = TemperatureScaling.CalibratedTrueLabelProbabilities(sharper, truth);
        for (var i = 0; i < calibrated.Length; i++)
        {
            Assert.Equal(calibrated[i], calibratedSharper[i], 4);
        }

        Assert.Equal(4, TemperatureScaling.FitTemperature(sharper, truth) / TemperatureScaling.FitTemperature(probabilities, truth), 3);
    }

    [Fact]
    public void PredictionsThatRankTheTrueLabelHigherStillScoreHigherAfterCalibration()
    {
        var (probabilities, truth) = Predictions(seed: 5);

        // The same model with a third of its mistakes corrected.
        var better = probabilities.Select((p, i) =>
        {
            var top = Array.IndexOf(p, p.Max());
            if (top == truth[i] || i % 3 != 0)
            {
                return p;
            }

            var swapped = (double[])p.Clone();
            (swapped[top], swapped[truth[i]]) = (swapped[truth[i]], swapped[top]);
            return swapped;
        }).ToArray();

        Assert.NotEqual(probabilities, better);
        var mean = TemperatureScaling.CalibratedTrueLabelProbabilities(probabilities, truth).Average();
        var betterMean = TemperatureScaling.CalibratedTrueLabelProbabilities(better, truth).Average();
        Assert.True(betterMean > mean + 0.01, $"calibrated {mean:F3} vs better {betterMean:F3}");
    }

    [Fact]
    public void AnOverconfidentModelIsSoftenedAndAnUnderconfidentOneSharpened()
    {
        var (probabilities, truth) = Predictions(seed: 7);
        var fitted = TemperatureScaling.FitTemperature(probabilities, truth);
        var overconfident = probabilities.Select(p => Sharpen(p, 3)).ToArray();
        var underconfident = probabilities.Select(p => Sharpen(p, 0.3)).ToArray();

        Assert.True(TemperatureScaling.FitTemperature(overconfident, truth) > fitted);
        Assert.True(TemperatureScaling.FitTemperature(underconfident, truth) < fitted);
    }
}
