using Microsoft.ML.OnnxRuntime.Tensors;
using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Onnx.Runtime;
using Synthio.Onnx.Text;

namespace Synthio.Onnx.Clap;

/// <summary>How a CLAP model runs: batch size and how many batches may be in flight at once.</summary>
public sealed record ClapRunOptions(int MaxBatch = 16, int Workers = 1);

/// <summary>
/// LAION CLAP split into the two ONNX towers of the public transformers.js export:
/// <c>onnx/audio_model.onnx</c> (<c>input_features</c> float32 [batch, 1, 1001, 64] → <c>audio_embeds</c> [batch, 512]) and
/// <c>onnx/text_model.onnx</c> (<c>input_ids</c> int64 [batch, seq] → <c>text_embeds</c> [batch, 512]), with
/// <c>tokenizer.json</c> and <c>preprocessor_config.json</c>. Sessions are created once and reused; the
/// embeddings returned are the graphs' raw outputs (not L2-normalised).
/// </summary>
public sealed class ClapModel : IDisposable
{
    public const string AudioModelFile = "onnx/audio_model.onnx";
    public const string TextModelFile = "onnx/text_model.onnx";
    public const string TokenizerFile = "tokenizer.json";
    public const string PreprocessorFile = "preprocessor_config.json";

    private const string AudioInput = "input_features";
    private const string AudioOutput = "audio_embeds";
    private const string TextInput = "input_ids";
    private const string TextMaskInput = "attention_mask";
    private const string TextOutput = "text_embeds";

    // RoBERTa's position table has 514 rows, two of them reserved: 512 tokens is the longest text.
    private const int MaxTextTokens = 512;

    private readonly OnnxGraph _audio;
    private readonly OnnxGraph _text;
    private readonly TextTokenizer _tokenizer;
    private readonly ClapRunOptions _options;
    private readonly MicroBatcher<AudioBuffer, float[]> _audioBatcher;
    private int _dimension;

    private ClapModel(OnnxGraph audio, OnnxGraph text, TextTokenizer tokenizer, ClapMelFrontEnd frontEnd, string provider, string fingerprint, ClapRunOptions options)
    {
        _audio = audio;
        _text = text;
        _tokenizer = tokenizer;
        _options = options;
        FrontEnd = frontEnd;
        Provider = provider;
        Fingerprint = fingerprint;
        _audioBatcher = new MicroBatcher<AudioBuffer, float[]>(EmbedAudio, options.MaxBatch, options.Workers);
    }

    /// <summary>The execution provider the sessions run on (<c>CPU</c> or <c>CUDA:N</c>).</summary>
    public string Provider { get; }

    /// <summary>SHA-256 of every file the outputs depend on, for identities and cache keys.</summary>
    public string Fingerprint { get; }

    public ClapMelFrontEnd FrontEnd { get; }

    /// <summary>Length of one embedding (512 for the public export).</summary>
    public int Dimension
    {
        get
        {
            if (_dimension == 0)
            {
                _dimension = EmbedAudio([new AudioBuffer(new float[FrontEnd.Settings.HopLength], FrontEnd.Settings.SampleRate)])[0].Length;
            }

            return _dimension;
        }
    }

    /// <summary>Opens a CLAP folder on <paramref name="device"/>.</summary>
    /// <exception cref="SynthioException">SYN3002 naming a missing or unusable file; SYN3004 when CUDA was demanded and cannot start.</exception>
    public static ClapModel Open(string modelDirectory, OnnxDevice device, IPipelineReporter reporter, ClapRunOptions? options = null)
    {
        options ??= new ClapRunOptions();
        var folder = ModelFiles.RequireFolder(modelDirectory, "CLAP model");
        var audioPath = ModelFiles.Require(folder, AudioModelFile, "CLAP audio encoder");
        var textPath = ModelFiles.Require(folder, TextModelFile, "CLAP text encoder");
        var tokenizerPath = ModelFiles.Require(folder, TokenizerFile, "CLAP tokenizer");
        var preprocessorPath = ModelFiles.Require(folder, PreprocessorFile, "CLAP preprocessor config");

        var settings = ClapFrontEndSettings.Load(preprocessorPath);
        var tokenizer = TextTokenizer.Load(tokenizerPath);
        var factory = new OnnxSessionFactory(device, reporter);
        var audio = new OnnxGraph(factory, audioPath, "CLAP audio");
        OnnxGraph? text = null;
        try
        {
            var features = audio.RequireInput(AudioInput, TensorElementType.Float);
            audio.RequireOutput(AudioOutput, TensorElementType.Float);
            CheckFeatureShape(features.Dimensions, settings, audioPath);
            text = new OnnxGraph(factory, textPath, "CLAP text");
            text.RequireInput(TextInput, TensorElementType.Int64);
            text.RequireOutput(TextOutput, TensorElementType.Float);
            var fingerprint = string.Join(
                ",",
                $"audio={ModelFiles.Sha256(audioPath)}",
                $"text={ModelFiles.Sha256(textPath)}",
                $"tokenizer={ModelFiles.Sha256(tokenizerPath)}",
                $"preprocessor={ModelFiles.Sha256(preprocessorPath)}");
            var model = new ClapModel(audio, text, tokenizer, new ClapMelFrontEnd(settings), factory.ProviderName, fingerprint, options);
            var outputDims = audio.Outputs[AudioOutput].Dimensions;
            if (outputDims.Length == 2 && outputDims[1] > 0)
            {
                model._dimension = outputDims[1];
            }

            return model;
        }
        catch
        {
            audio.Dispose();
            text?.Dispose();
            throw;
        }
    }

    /// <summary>Audio embeddings of several clips, run in batches of <see cref="ClapRunOptions.MaxBatch"/>.</summary>
    public float[][] EmbedAudio(IReadOnlyList<AudioBuffer> clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        var settings = FrontEnd.Settings;
        var featureLength = FrontEnd.FeatureLength;
        var results = new float[clips.Count][];
        for (var start = 0; start < clips.Count; start += _options.MaxBatch)
        {
            var count = Math.Min(_options.MaxBatch, clips.Count - start);
            var batch = new float[count * featureLength];
            Parallel.For(0, count, i => FrontEnd.Compute(clips[start + i]).CopyTo(batch, i * featureLength));
            var (data, shape) = _audio.Run(
                [(AudioInput, TensorData.Float(batch, count, 1, settings.Frames, settings.MelBins))],
                AudioOutput);
            Split(data, shape, count, results, start);
        }

        return results;
    }

    /// <summary>One clip's audio embedding; concurrent callers are batched together.</summary>
    public Task<float[]> EmbedAudioAsync(AudioBuffer clip, CancellationToken cancellationToken = default) =>
        _audioBatcher.RunAsync(clip, cancellationToken);

    /// <summary>Text embeddings of several texts; the batch is right-padded with the pad id, which the model ignores.</summary>
    public float[][] EmbedText(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var results = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += _options.MaxBatch)
        {
            var count = Math.Min(_options.MaxBatch, texts.Count - start);
            var (ids, mask, length) = _tokenizer.EncodeBatch(texts.Skip(start).Take(count).ToArray(), MaxTextTokens);
            var inputs = new List<(string, TensorData)> { (TextInput, TensorData.Int64(ids, count, length)) };
            if (_text.HasInput(TextMaskInput))
            {
                inputs.Add((TextMaskInput, TensorData.Int64(mask, count, length)));
            }

            var (data, shape) = _text.Run(inputs, TextOutput);
            Split(data, shape, count, results, start);
        }

        return results;
    }

    /// <summary>Token ids of a text as the text tower receives it (for inspection and tests).</summary>
    public long[] Tokenize(string text) => _tokenizer.Encode(text, MaxTextTokens);

    public void Dispose()
    {
        _audioBatcher.Dispose();
        _audio.Dispose();
        _text.Dispose();
    }

    private static void Split(float[] data, long[] shape, int count, float[][] results, int offset)
    {
        if (shape.Length != 2 || shape[0] != count)
        {
            throw new SynthioException(
                DiagnosticCodes.ModelBundleInvalid,
                $"CLAP returned an embedding of shape [{string.Join(", ", shape)}]; expected [{count}, dim].");
        }

        var dimension = (int)shape[1];
        for (var i = 0; i < count; i++)
        {
            results[offset + i] = data.AsSpan(i * dimension, dimension).ToArray();
        }
    }

    private static void CheckFeatureShape(int[] dims, ClapFrontEndSettings settings, string path)
    {
        // Negative entries are dynamic axes (batch); the fixed ones must agree with the front end.
        var expected = new[] { -1, 1, settings.Frames, settings.MelBins };
        var fits = dims.Length == 4;
        for (var i = 1; fits && i < 4; i++)
        {
            fits = dims[i] <= 0 || dims[i] == expected[i];
        }

        if (!fits)
        {
            throw new SynthioException(
                DiagnosticCodes.ModelBundleInvalid,
                $"The CLAP audio model takes input_features of shape [{string.Join(", ", dims)}]; the front end in "
                + $"{PreprocessorFile} makes [batch, 1, {settings.Frames}, {settings.MelBins}] (a fused CLAP export is not supported).",
                path);
        }
    }
}
