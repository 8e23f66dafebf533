using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synthio.Evaluation;

/// <summary>
/// One measured point: a mode trained on <see cref="N"/> clips per label (null = every training clip)
/// with one seed, scored on the held-out split. Accuracy and macro-F1 are fractions in [0, 1].
/// </summary>
public sealed record EvaluationResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("n"), JsonConverter(typeof(ClipsPerLabelJsonConverter))] int? N,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("macro_f1")] double MacroF1)
{
    /// <summary>Held-out clips scored (pooled over rotations for <c>esc-fold:all</c>).</summary>
    [JsonPropertyName("test_clips")]
    public int TestClips { get; init; }

    /// <summary>Gold clips trained on (summed over rotations).</summary>
    [JsonPropertyName("gold_clips")]
    public int GoldClips { get; init; }

    /// <summary>Augmented clips trained on (summed over rotations).</summary>
    [JsonPropertyName("synthetic_clips")]
    public int SyntheticClips { get; init; }

    /// <summary>The trainer the search chose (the most frequent one over rotations).</summary>
    [JsonPropertyName("trainer")]
    public string Trainer { get; init; } = string.Empty;

    /// <summary>The search's cross-validated macro accuracy (mean over rotations); null for a mode that trains nothing.</summary>
    [JsonPropertyName("cv_score")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? CvScore { get; init; }

    /// <summary>The augmentation policy each rotation used, for modes that choose one (<c>auto</c>); else null.</summary>
    [JsonPropertyName("policies")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Policies { get; init; }

    /// <summary>
    /// Accuracy on each rotation's test clips, in the split's rotation order (one entry for a single test set):
    /// two modes' entries at one index were trained on the same drawn clips and tested on the same clips.
    /// Null in results written before it was recorded.
    /// </summary>
    [JsonPropertyName("rotation_accuracy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? RotationAccuracy { get; init; }

    /// <summary>
    /// For <c>auto</c>, per rotation (as <see cref="RotationAccuracy"/>), what the policy search's
    /// cross-validation on the training clips measured for each candidate it scored: beside the fixed
    /// policies' test accuracy on the same rotation, it shows whether the search sees what the test clips see.
    /// </summary>
    [JsonPropertyName("policy_searches")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<IReadOnlyDictionary<string, CandidateFigures>>? PolicySearches { get; init; }

    /// <summary>
    /// Per label, the share of its held-out clips classified right (its recall, pooled over rotations): which
    /// labels a mode helps and which it hurts. Null in results written before it was recorded.
    /// </summary>
    [JsonPropertyName("label_accuracy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? LabelAccuracy { get; init; }

    /// <summary>"all" or the number, as written in reports.</summary>
    [JsonIgnore]
    public string NText => FormatN(N);

    public static string FormatN(int? n) => n is { } v ? v.ToString(CultureInfo.InvariantCulture) : "all";
}

/// <summary>A policy candidate's cross-validated score (mean true-label probability) and accuracy, fractions in [0, 1].</summary>
public sealed record CandidateFigures(
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("accuracy")] double Accuracy);

/// <summary>Writes clips-per-label as a JSON number, or the string "all" for every training clip.</summary>
public sealed class ClipsPerLabelJsonConverter : JsonConverter<int?>
{
    public override bool HandleNull => true;

    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetInt32(),
        JsonTokenType.String when string.Equals(reader.GetString(), "all", StringComparison.OrdinalIgnoreCase) => null,
        JsonTokenType.Null => null,
        _ => throw new JsonException("n must be a number or \"all\""),
    };

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        if (value is { } n)
        {
            writer.WriteNumberValue(n);
        }
        else
        {
            writer.WriteStringValue("all");
        }
    }
}

/// <summary>What an evaluation was run with, written beside the results so a report can say so.</summary>
public sealed record EvaluationSettings(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("split")] string Split,
    [property: JsonPropertyName("modes")] IReadOnlyList<string> Modes,
    [property: JsonPropertyName("n"), JsonConverter(typeof(ClipsPerLabelListJsonConverter))] IReadOnlyList<int?> Sizes,
    [property: JsonPropertyName("seeds")] IReadOnlyList<int> Seeds,
    [property: JsonPropertyName("time_budget_seconds")] double TimeBudgetSeconds,
    [property: JsonPropertyName("features")] string Features,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("test_clips_per_rotation")] IReadOnlyList<int> TestClipsPerRotation,
    [property: JsonPropertyName("group_pattern")] string? GroupPattern = null,
    [property: JsonPropertyName("threshold")] string? Threshold = null,
    [property: JsonPropertyName("trainers")] IReadOnlyList<string>? Trainers = null,
    [property: JsonPropertyName("max_trials")] int? MaxTrials = null);

/// <summary>The list form of <see cref="ClipsPerLabelJsonConverter"/>.</summary>
public sealed class ClipsPerLabelListJsonConverter : JsonConverter<IReadOnlyList<int?>>
{
    private static readonly ClipsPerLabelJsonConverter Item = new();

    public override IReadOnlyList<int?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var list = new List<int?>();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected an array");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(Item.Read(ref reader, typeof(int?), options));
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<int?> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var n in value)
        {
            Item.Write(writer, n, options);
        }

        writer.WriteEndArray();
    }
}

/// <summary>An evaluation's outcome: its settings and every (mode, n, seed) result.</summary>
public sealed record EvaluationRun(
    [property: JsonPropertyName("results")] IReadOnlyList<EvaluationResult> Results,
    [property: JsonPropertyName("settings")] EvaluationSettings Settings);

/// <summary>Reads and writes <c>results.json</c>: <c>{"results":[{"mode","n","seed","accuracy","macro_f1",…}…],"settings":{…}}</c>.</summary>
public static class EvaluationResultsFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Write(string path, EvaluationRun run)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, JsonSerializer.Serialize(run, Json) + "\n");
    }

    public static EvaluationRun Read(string path) =>
        JsonSerializer.Deserialize<EvaluationRun>(File.ReadAllText(path), Json)
        ?? throw new JsonException($"'{path}' holds no evaluation results");
}
