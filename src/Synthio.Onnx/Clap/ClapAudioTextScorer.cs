using System.Collections.Concurrent;
using System.Globalization;
using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Filtering;

namespace Synthio.Onnx.Clap;

/// <summary>
/// Synthio's label-consistency filter with CLAP (design §2 step 5): text "Sound of a {label}",
/// score = sigmoid(exp(logit_scale) · cos(text_emb, audio_emb)). The split ONNX towers carry no trained
/// logit scale, so it is a configurable number (the natural log of the multiplier, as the checkpoint stores it).
/// </summary>
public sealed class ClapAudioTextScorer : IAudioTextScorer
{
    /// <summary>The prompt of the paper's filter; <c>{label}</c> is replaced by the label in words.</summary>
    public const string PromptTemplate = "Sound of a {label}";

    /// <summary>ln(1/0.07): CLAP's <c>logit_scale_init_value</c> from its config.json, a multiplier of ≈14.29.</summary>
    public static readonly double InitialLogitScale = Math.Log(1 / 0.07);

    /// <summary>
    /// ln 100 ≈ 4.605: CLAP's training clamps logit_scale to [0, ln 100], so no trained model has a larger one.
    /// </summary>
    public static readonly double MaxLogitScale = Math.Log(100);

    private const string Version = "1";

    private readonly ClapModel _model;
    private readonly double _multiplier;
    private readonly ConcurrentDictionary<string, Lazy<float[]>> _textEmbeddings = new(StringComparer.Ordinal);

    public ClapAudioTextScorer(ClapModel model, double logitScale)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!double.IsFinite(logitScale) || logitScale > MaxLogitScale)
        {
            throw new SynthioException(
                DiagnosticCodes.BadOption,
                string.Create(CultureInfo.InvariantCulture, $"CLAP logit_scale {logitScale} is out of range: it is the natural log of the cosine multiplier, at most ln 100 ≈ 4.605 (CLAP's initial value is ln(1/0.07) ≈ 2.659)."));
        }

        _model = model;
        LogitScale = logitScale;
        _multiplier = Math.Exp(logitScale);
        Identity = string.Create(
            CultureInfo.InvariantCulture,
            $"clap-onnx-scorer/{Version} prompt=\"{PromptTemplate}\" logit_scale={logitScale:R} {model.Fingerprint}");
    }

    public string Identity { get; }

    public double LogitScale { get; }

    /// <summary>The CLAP model it runs (shared with any other backend opened on the same folder and device).</summary>
    internal ClapModel Model => _model;

    /// <summary>The text CLAP sees for <paramref name="label"/>: underscores and hyphens of folder names become spaces.</summary>
    public static string PromptFor(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var words = string.Join(' ', label.Replace('_', ' ').Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return PromptTemplate.Replace("{label}", words, StringComparison.Ordinal);
    }

    public async Task<double> ScoreAsync(AudioBuffer audio, string label, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var text = TextEmbedding(label);
        var embedding = await _model.EmbedAudioAsync(audio, cancellationToken).ConfigureAwait(false);
        return Score(embedding, text);
    }

    /// <summary>Scores many clips against one label in batches.</summary>
    public double[] ScoreBatch(IReadOnlyList<AudioBuffer> clips, string label)
    {
        var text = TextEmbedding(label);
        return _model.EmbedAudio(clips).Select(e => Score(e, text)).ToArray();
    }

    /// <summary>
    /// Zero-shot classification: the softmax over labels of exp(logit_scale) · cos, as CLAP's own zero-shot
    /// evaluation does (a baseline row in the evaluation report).
    /// </summary>
    public double[] ZeroShotProbabilities(AudioBuffer clip, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var audio = _model.EmbedAudio([clip])[0];
        var logits = labels.Select(l => _multiplier * Cosine(audio, TextEmbedding(l))).ToArray();
        var max = logits.Max();
        var exps = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exps.Sum();
        return exps.Select(e => e / sum).ToArray();
    }

    /// <summary>Cosine similarity of two raw embeddings (the towers' outputs are not normalised).</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Embedding sizes differ: {a.Length} and {b.Length}.");
        }

        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private double Score(float[] audio, float[] text) => 1.0 / (1.0 + Math.Exp(-_multiplier * Cosine(audio, text)));

    private float[] TextEmbedding(string label) =>
        _textEmbeddings.GetOrAdd(PromptFor(label), prompt => new Lazy<float[]>(() => _model.EmbedText([prompt])[0])).Value;
}
