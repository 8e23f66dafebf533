using Microsoft.ML;
using Microsoft.ML.Data;

namespace Synthio.Training;

/// <summary>The row ML.NET reads: a label, a fixed-length feature vector and the example's weight.</summary>
internal sealed class FeatureRow
{
    public string Label { get; set; } = string.Empty;

    public float[] Features { get; set; } = Array.Empty<float>();

    /// <summary>Read only by a trainer built with a weight column (see <see cref="LabelWeights"/>).</summary>
    public float Weight { get; set; } = 1f;
}

/// <summary>A label alone, for the key mapping's term list.</summary>
internal sealed class LabelRow
{
    public string Label { get; set; } = string.Empty;
}

/// <summary>The columns read back from a scored row.</summary>
internal sealed class ScoredRow
{
    public string PredictedLabel { get; set; } = string.Empty;

    public float[] Score { get; set; } = Array.Empty<float>();
}

/// <summary>Column names and conversions shared by the search, the model and the classifier.</summary>
internal static class MulticlassData
{
    public const string Label = "Label";
    public const string LabelKey = "LabelKey";
    public const string Features = "Features";
    public const string Weight = "Weight";
    public const string PredictedLabel = "PredictedLabel";

    public static SchemaDefinition Schema(int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return schema;
    }

    public static IDataView Load(MLContext context, IEnumerable<FeatureRow> rows, int featureCount) =>
        context.Data.LoadFromEnumerable(rows, Schema(featureCount));

    /// <summary>
    /// Maps label text to keys with every label of the whole data set, in ordinal order, so the Score
    /// vector's slot i always means <c>labels[i]</c> even when a fold lacks a label.
    /// </summary>
    public static IEstimator<ITransformer> LabelToKey(MLContext context, IReadOnlyList<string> labels)
    {
        // keyData must be a single-column view; its order of occurrence becomes the key order.
        var keyData = context.Data.LoadFromEnumerable(labels.Select(l => new LabelRow { Label = l }));
        return context.Transforms.Conversion.MapValueToKey(LabelKey, Label, keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence, keyData: keyData);
    }

    public static IEstimator<ITransformer> KeyToLabel(MLContext context) =>
        context.Transforms.Conversion.MapKeyToValue(PredictedLabel);
}
