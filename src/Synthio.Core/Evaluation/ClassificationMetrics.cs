namespace Synthio.Evaluation;

/// <summary>Precision, recall and F1 of one label on a test set.</summary>
public sealed record LabelMetrics(string Label, int Support, int Predicted, double Precision, double Recall, double F1);

/// <summary>
/// How well predictions match the truth: accuracy, macro-F1 (the unweighted mean of the labels' F1) and
/// the confusion matrix (rows = true label, columns = predicted label, both in <see cref="Labels"/> order).
/// </summary>
public sealed record ClassificationMetrics(
    IReadOnlyList<string> Labels,
    int Count,
    double Accuracy,
    double MacroF1,
    IReadOnlyList<LabelMetrics> PerLabel,
    IReadOnlyList<IReadOnlyList<int>> Confusion)
{
    /// <summary>The mean of the recalls of the labels that occur in the truth: accuracy as if every label had as many test clips.</summary>
    public double MeanRecall => PerLabel.Where(l => l.Support > 0).Select(l => l.Recall).DefaultIfEmpty(0).Average();

    /// <summary>Whether the labels in the truth have different numbers of test clips, so accuracy leans towards the larger ones.</summary>
    public bool IsUneven => PerLabel.Where(l => l.Support > 0).Select(l => l.Support).Distinct().Count() > 1;

    /// <summary>
    /// Scores <paramref name="predicted"/> against <paramref name="truth"/>. Labels are
    /// <paramref name="labels"/> when given (so a label never predicted still counts with F1 = 0),
    /// else every label seen; macro-F1 averages over labels that occur in the truth or the predictions.
    /// </summary>
    public static ClassificationMetrics Compute(IReadOnlyList<string> truth, IReadOnlyList<string> predicted, IEnumerable<string>? labels = null)
    {
        if (truth.Count != predicted.Count)
        {
            throw new ArgumentException($"{truth.Count} true labels but {predicted.Count} predictions");
        }

        var all = (labels ?? Enumerable.Empty<string>()).Concat(truth).Concat(predicted)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = all.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        var confusion = new int[all.Length][];
        for (var i = 0; i < all.Length; i++)
        {
            confusion[i] = new int[all.Length];
        }

        var correct = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            confusion[index[truth[i]]][index[predicted[i]]]++;
            if (string.Equals(truth[i], predicted[i], StringComparison.Ordinal))
            {
                correct++;
            }
        }

        var perLabel = new List<LabelMetrics>();
        var f1s = new List<double>();
        for (var k = 0; k < all.Length; k++)
        {
            var support = confusion[k].Sum();
            var predictedCount = confusion.Sum(row => row[k]);
            var hits = confusion[k][k];
            var precision = predictedCount == 0 ? 0 : (double)hits / predictedCount;
            var recall = support == 0 ? 0 : (double)hits / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perLabel.Add(new LabelMetrics(all[k], support, predictedCount, precision, recall, f1));
            if (support > 0 || predictedCount > 0)
            {
                f1s.Add(f1);
            }
        }

        return new ClassificationMetrics(
            all,
            truth.Count,
            truth.Count == 0 ? 0 : (double)correct / truth.Count,
            f1s.Count == 0 ? 0 : f1s.Average(),
            perLabel,
            confusion);
    }
}
