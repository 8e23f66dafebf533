using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Synthio.Training;

/// <summary>What a classifier says about one clip: the winning label and every label's score.</summary>
public sealed record ClassifierPrediction(string Label, IReadOnlyDictionary<string, float> Scores)
{
    /// <summary>The winning label's score.</summary>
    public float Confidence => Scores.TryGetValue(Label, out var score) ? score : 0f;
}

/// <summary>One window of a long recording, in seconds from its start; <see cref="Prediction"/> is null when the window is silent.</summary>
public sealed record WindowPrediction(double StartSeconds, double EndSeconds, ClassifierPrediction? Prediction);

/// <summary>
/// A fitted ML.NET pipeline from a feature vector to a label (label keys, optional normalisation,
/// trainer, key back to text), with the label list that gives the score slots their meaning.
/// </summary>
public sealed class MulticlassModel
{
    private readonly MLContext _context;
    private readonly ITransformer _transformer;
    private readonly DataViewSchema _inputSchema;
    private readonly object _engineGate = new();
    private PredictionEngine<FeatureRow, ScoredRow>? _engine;

    internal MulticlassModel(MLContext context, ITransformer transformer, DataViewSchema inputSchema, IReadOnlyList<string> labels, int featureCount)
    {
        _context = context;
        _transformer = transformer;
        _inputSchema = inputSchema;
        Labels = labels;
        FeatureCount = featureCount;
    }

    /// <summary>Labels in score-slot order (ordinal).</summary>
    public IReadOnlyList<string> Labels { get; }

    public int FeatureCount { get; }

    public ClassifierPrediction Predict(float[] features)
    {
        CheckLength(features);
        lock (_engineGate)
        {
            _engine ??= _context.Model.CreatePredictionEngine<FeatureRow, ScoredRow>(
                _transformer, ignoreMissingColumns: true, inputSchemaDefinition: MulticlassData.Schema(FeatureCount));
            var scored = _engine.Predict(new FeatureRow { Features = Sanitise(features) });
            return ToPrediction(scored);
        }
    }

    /// <summary>Scores many vectors in one pass (much faster than one prediction at a time).</summary>
    public IReadOnlyList<ClassifierPrediction> PredictMany(IReadOnlyList<float[]> features)
    {
        foreach (var f in features)
        {
            CheckLength(f);
        }

        var view = MulticlassData.Load(_context, features.Select(f => new FeatureRow { Features = Sanitise(f) }), FeatureCount);
        return _context.Data.CreateEnumerable<ScoredRow>(_transformer.Transform(view), reuseRowObject: false)
            .Select(ToPrediction)
            .ToArray();
    }

    /// <summary>
    /// Writes the ML.NET model (its own zip format) to <paramref name="stream"/>. ML.NET stamps each entry with
    /// the time of saving; here every entry carries <see cref="EntryTime"/> instead, so one model always saves to
    /// the same bytes (a search reused from the cache writes the very file, and the very blob, it wrote before).
    /// </summary>
    public void Save(Stream stream)
    {
        using var saved = new MemoryStream();
        _context.Model.Save(_transformer, _inputSchema, saved);
        saved.Position = 0;
        using var source = new ZipArchive(saved, ZipArchiveMode.Read);
        using var copy = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries)
        {
            var target = copy.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            target.LastWriteTime = EntryTime;
            using var from = entry.Open();
            using var to = target.Open();
            from.CopyTo(to);
        }
    }

    /// <summary>The time every entry of a saved model carries.</summary>
    internal static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static MulticlassModel Load(Stream stream, IReadOnlyList<string> labels, int featureCount)
    {
        var context = new MLContext(seed: 0);
        var transformer = context.Model.Load(stream, out var schema);
        return new MulticlassModel(context, transformer, schema, labels, featureCount);
    }

    /// <summary>Missing or infinite feature values would break linear trainers; they read as 0.</summary>
    internal static float[] Sanitise(float[] features)
    {
        if (Array.TrueForAll(features, float.IsFinite))
        {
            return features;
        }

        var copy = (float[])features.Clone();
        for (var i = 0; i < copy.Length; i++)
        {
            if (!float.IsFinite(copy[i]))
            {
                copy[i] = 0f;
            }
        }

        return copy;
    }

    private void CheckLength(float[] features)
    {
        if (features.Length != FeatureCount)
        {
            throw new Diagnostics.SynthioException(
                Diagnostics.DiagnosticCodes.FeatureMismatch,
                $"the model expects {FeatureCount} features per clip but got {features.Length}; the features were computed with different settings than the model was trained on");
        }
    }

    private ClassifierPrediction ToPrediction(ScoredRow row)
    {
        var scores = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var i = 0; i < Labels.Count && i < row.Score.Length; i++)
        {
            scores[Labels[i]] = row.Score[i];
        }

        return new ClassifierPrediction(row.PredictedLabel, scores);
    }
}
