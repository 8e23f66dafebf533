using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Features;

namespace Synthio.Training;

/// <summary>
/// A trained sound classifier: the ML.NET pipeline from feature vector to label plus the feature
/// settings and labels it was trained with, so one call goes from a WAV file to a label.
/// <code>var label = SynthioClassifier.Load("model.zip").Predict("clip.wav").Label;</code>
/// </summary>
public sealed class SynthioClassifier
{
    /// <summary>Version of the model file layout; bumped when it changes incompatibly.</summary>
    public const int FormatVersion = 1;

    private const string MetadataEntry = "synthio-model.json";
    private const string PipelineEntry = "mlnet-pipeline.zip";
    private static readonly JsonSerializerOptions MetadataJson = new() { WriteIndented = true };

    private readonly MulticlassModel _model;
    private readonly IAudioEmbedder _embedder;

    /// <summary>Wraps a trained model with the embedder its features came from.</summary>
    public SynthioClassifier(MulticlassModel model, IAudioEmbedder embedder, FeatureSettings featureSettings, string trainer, IReadOnlyDictionary<string, double>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(embedder);
        if (embedder.Dimension != model.FeatureCount)
        {
            throw new SynthioException(DiagnosticCodes.FeatureMismatch, $"the embedder '{embedder.Identity}' yields {embedder.Dimension} features but the model reads {model.FeatureCount}");
        }

        _model = model;
        _embedder = embedder;
        FeatureSettings = featureSettings;
        Trainer = trainer;
        Parameters = parameters ?? new Dictionary<string, double>();
    }

    /// <summary>Convenience for the embedded features: builds a <see cref="SpectralStatisticsEmbedder"/> from <paramref name="featureSettings"/>.</summary>
    public SynthioClassifier(MulticlassModel model, FeatureSettings featureSettings, string trainer, IReadOnlyDictionary<string, double>? parameters = null)
        : this(model, new SpectralStatisticsEmbedder(featureSettings), featureSettings, trainer, parameters)
    {
    }

    /// <summary>The classifier a finished search produced (its final model, refitted on all the data).</summary>
    public static SynthioClassifier FromSearch(TrainerSearchResult search, IAudioEmbedder embedder, FeatureSettings featureSettings) =>
        new(search.Model, embedder, featureSettings, search.BestTrainer, search.BestParameters);

    public IReadOnlyList<string> Labels => _model.Labels;

    public FeatureSettings FeatureSettings { get; }

    /// <summary>The identity of the features the model reads (name, version, settings).</summary>
    public string FeatureIdentity => _embedder.Identity;

    public string Trainer { get; }

    public IReadOnlyDictionary<string, double> Parameters { get; }

    public MulticlassModel Model => _model;

    /// <summary>Reads an audio file (any format <see cref="AudioFile"/> reads) and classifies it.</summary>
    public ClassifierPrediction Predict(string audioPath) => Predict(AudioFile.ReadMono(audioPath));

    public ClassifierPrediction Predict(AudioBuffer audio) => _model.Predict(_embedder.Embed(audio));

    /// <summary>
    /// Classifies a long recording window by window: windows of <paramref name="windowSeconds"/> every
    /// <paramref name="hopSeconds"/> (default: back to back), plus one ending where the recording ends when the
    /// others would leave more than a tenth of a window unheard; every window is whole. A recording shorter than a
    /// window is one window. A silent window (see <see cref="AudioOps.IsSilent"/>) gets no label: the model learnt
    /// its labels from sounds.
    /// Windows work best at about the length of the clips the model was trained on.
    /// </summary>
    public IReadOnlyList<WindowPrediction> PredictWindows(AudioBuffer audio, double windowSeconds, double? hopSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var hop = hopSeconds ?? windowSeconds;
        if (!(windowSeconds > 0) || !(hop > 0) || double.IsInfinity(windowSeconds) || double.IsInfinity(hop))
        {
            throw new ArgumentOutOfRangeException(nameof(windowSeconds), "The window and the hop must be positive numbers of seconds.");
        }

        var window = Math.Max(1, (int)Math.Round(windowSeconds * audio.SampleRate));
        var step = Math.Max(1, (int)Math.Round(hop * audio.SampleRate));
        var starts = new List<int>();
        if (audio.Length <= window)
        {
            starts.Add(0);
        }
        else
        {
            for (var start = 0; start + window <= audio.Length; start += step)
            {
                starts.Add(start);
            }

            if (audio.Length - (starts[^1] + window) > window / 10)
            {
                starts.Add(audio.Length - window);
            }
        }

        return starts.Select(start =>
        {
            var length = Math.Min(window, audio.Length - start);
            var slice = new AudioBuffer(audio.Samples.AsSpan(start, length).ToArray(), audio.SampleRate);
            var prediction = AudioOps.IsSilent(slice) ? null : Predict(slice);
            return new WindowPrediction((double)start / audio.SampleRate, (double)(start + length) / audio.SampleRate, prediction);
        }).ToArray();
    }

    /// <summary>Classifies an already computed feature vector (it must come from <see cref="FeatureIdentity"/>'s features).</summary>
    public ClassifierPrediction PredictFeatures(float[] features) => _model.Predict(features);

    /// <summary>Writes one zip: the ML.NET pipeline and a JSON entry with labels, features and trainer.</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Written beside the target and renamed, so a crash never leaves half a model where a good one was.
        var temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var file = File.Create(temporary))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                var metadata = new ModelMetadata(FormatVersion, Labels.ToArray(), _model.FeatureCount, _embedder.Identity, FeatureSettings, Trainer, Parameters);
                var metadataEntry = zip.CreateEntry(MetadataEntry);
                metadataEntry.LastWriteTime = MulticlassModel.EntryTime;
                using (var entry = metadataEntry.Open())
                {
                    JsonSerializer.Serialize(entry, metadata, MetadataJson);
                }

                using var pipeline = new MemoryStream();
                _model.Save(pipeline);
                pipeline.Position = 0;
                var pipelineEntry = zip.CreateEntry(PipelineEntry, CompressionLevel.NoCompression);
                pipelineEntry.LastWriteTime = MulticlassModel.EntryTime;
                using var pipelineStream = pipelineEntry.Open();
                pipeline.CopyTo(pipelineStream);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Reads a model written by <see cref="Save"/>, with the embedded features it was trained on.</summary>
    public static SynthioClassifier Load(string path) => Load(path, null);

    /// <summary>
    /// Reads a model; <paramref name="embedder"/> replaces the embedded features (for models trained on
    /// other embeddings) and must have the identity recorded in the model.
    /// </summary>
    public static SynthioClassifier Load(string path, IAudioEmbedder? embedder)
    {
        if (!File.Exists(path))
        {
            throw new SynthioException(DiagnosticCodes.ModelNotFound, $"model '{path}' was not found", path);
        }

        try
        {
            using var zip = ZipFile.OpenRead(path);
            var metaEntry = zip.GetEntry(MetadataEntry) ?? throw Invalid(path, $"it has no {MetadataEntry} entry");
            ModelMetadata metadata;
            using (var stream = metaEntry.Open())
            {
                metadata = JsonSerializer.Deserialize<ModelMetadata>(stream) ?? throw Invalid(path, "its metadata is empty");
            }

            if (metadata.FormatVersion > FormatVersion)
            {
                throw Invalid(path, $"it was written by a newer version (format {metadata.FormatVersion}, this build reads {FormatVersion})");
            }

            var pipelineEntry = zip.GetEntry(PipelineEntry) ?? throw Invalid(path, $"it has no {PipelineEntry} entry");
            using var buffer = new MemoryStream();
            using (var stream = pipelineEntry.Open())
            {
                stream.CopyTo(buffer);
            }

            buffer.Position = 0;
            var model = MulticlassModel.Load(buffer, metadata.Labels, metadata.FeatureCount);
            var settings = metadata.FeatureSettings ?? FeatureSettings.Default;
            var features = embedder ?? new SpectralStatisticsEmbedder(settings);
            if (embedder is null && !metadata.FeatureIdentity.StartsWith(SpectralStatisticsEmbedder.IdentityPrefix, StringComparison.Ordinal))
            {
                // Not a stale model: it needs features this library does not compute by itself.
                throw new SynthioException(
                    DiagnosticCodes.ModelNeedsEmbedder,
                    $"model '{path}' was trained on features '{metadata.FeatureIdentity}', which only the embedder that made them computes: load it with that embedder (dotnet synthio predict --embedder clap:<model-dir>, or SynthioClassifier.Load(path, embedder))",
                    path);
            }

            if (!string.Equals(features.Identity, metadata.FeatureIdentity, StringComparison.Ordinal))
            {
                throw new SynthioException(
                    DiagnosticCodes.FeatureMismatch,
                    $"model '{path}' was trained on features '{metadata.FeatureIdentity}' but this build computes '{features.Identity}'; retrain the model",
                    path);
            }

            return new SynthioClassifier(model, features, settings, metadata.Trainer, metadata.Parameters);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or InvalidOperationException or FormatException)
        {
            throw Invalid(path, ex.Message, ex);
        }
    }

    private static SynthioException Invalid(string path, string why, Exception? inner = null) =>
        new(DiagnosticCodes.ModelInvalid, $"model '{path}' cannot be read: {why}", path, inner);

    private sealed record ModelMetadata(
        [property: JsonPropertyName("format_version")] int FormatVersion,
        [property: JsonPropertyName("labels")] string[] Labels,
        [property: JsonPropertyName("feature_count")] int FeatureCount,
        [property: JsonPropertyName("feature_identity")] string FeatureIdentity,
        [property: JsonPropertyName("feature_settings")] FeatureSettings? FeatureSettings,
        [property: JsonPropertyName("trainer")] string Trainer,
        [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, double> Parameters);
}
