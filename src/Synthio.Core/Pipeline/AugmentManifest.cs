using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Synthio.Generation;
using Synthio.Language;
using Synthio.Policy;

namespace Synthio.Pipeline;

/// <summary>One clip of an augmentation run: a gold clip it learned from, or a synthetic clip it made.</summary>
public sealed record ManifestClip
{
    /// <summary>Relative to the manifest's folder for synthetic clips; absolute for gold clips.</summary>
    public required string Path { get; init; }

    public required string Label { get; init; }

    /// <summary><c>gold</c>, <c>synthetic</c> (Synthio) or <c>classic</c> (a transformed copy of its one source).</summary>
    public required string Origin { get; init; }

    /// <summary>For gold clips: <c>train</c> or <c>test</c> (test clips are never used by generation).</summary>
    public string? Split { get; init; }

    /// <summary>For gold clips: the group of near-duplicates the group pattern gave it (absent without one).</summary>
    public string? Group { get; init; }

    public string? Caption { get; init; }

    public SoundComponents? Components { get; init; }

    /// <summary>The scorer's label-consistency score (synthetic clips).</summary>
    public double? Score { get; init; }

    /// <summary>Gold: the file's SHA-256. Synthetic: the cache key of the generation step. Classic: the key of the copy.</summary>
    public required string Key { get; init; }

    /// <summary>SHA-256 of an augmented clip's WAV bytes (for synthetic clips, its blob in the cache).</summary>
    public string? Blob { get; init; }

    /// <summary>Gold clips a synthetic clip was built from (ids are the gold clips' keys).</summary>
    public IReadOnlyList<string>? Sources { get; init; }

    /// <summary>Self-reflection round that produced the accepted caption (0 = the MixCap caption).</summary>
    public int? Round { get; init; }
}

/// <summary>Computed/reused counts of one step in a run.</summary>
public sealed record StepStats(int Computed, int Reused);

/// <summary>The <see cref="ManifestClip.Origin"/> values.</summary>
public static class ClipOrigin
{
    public const string Gold = "gold";
    public const string Synthetic = "synthetic";
    public const string Classic = "classic";
}

/// <summary>
/// <c>manifest.json</c> of an augmentation run: every clip with its caption, score and key, per-label
/// stats, and what this run computed versus reused from the cache.
/// </summary>
public sealed record AugmentManifest
{
    public const string FileName = "manifest.json";

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public int FormatVersion { get; init; } = 1;

    public required string Dataset { get; init; }

    public required IReadOnlyDictionary<string, object?> Settings { get; init; }

    public required IReadOnlyList<string> Labels { get; init; }

    public required IReadOnlyList<ManifestClip> Clips { get; init; }

    /// <summary>Per label: gold, target, generated, accepted, rejected, revised (design §7).</summary>
    public required IReadOnlyDictionary<string, LabelGenerationStats> Stats { get; init; }

    /// <summary>Generated clips newly computed in this run.</summary>
    public int Generated { get; init; }

    /// <summary>Generated clips taken from the cache in this run.</summary>
    public int Reused { get; init; }

    /// <summary>The policy used (<c>gold-only</c>, <c>classic×4</c>, <c>synthio×2</c>…).</summary>
    public string? Policy { get; init; }

    /// <summary>With <c>Multiplier="auto"</c>: every candidate's cross-validated score and why the policy was chosen.</summary>
    public PolicyDecision? PolicySearch { get; init; }

    /// <summary>Per step name: results computed and reused in this run.</summary>
    public IReadOnlyDictionary<string, StepStats> Steps { get; init; } = new Dictionary<string, StepStats>();

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static AugmentManifest Load(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        return JsonSerializer.Deserialize<AugmentManifest>(text, JsonOptions)
            ?? throw new InvalidDataException($"'{path}' is not an augmentation manifest");
    }

    /// <summary>A clip's path made absolute against the manifest's folder.</summary>
    public static string Resolve(string manifestPath, ManifestClip clip) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(manifestPath))!, clip.Path));
}
