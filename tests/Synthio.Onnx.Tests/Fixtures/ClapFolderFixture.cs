using System.Text.Json.Nodes;
using Synthio.Tests;

namespace Synthio.Onnx.Tests.Fixtures;

/// <summary>
/// A CLAP folder laid out like the public transformers.js export, with tiny towers that keep the real
/// input/output names, dtypes and dynamic axes:
/// audio: input_features float32 [batch_size, 1, 1001, 64] → mean over channel and time → · W (64×512) → audio_embeds [batch_size, 512];
/// text: input_ids int64 [batch_size, sequence_length] → Σ over tokens of E[id] (E: vocab×512, the pad row zero) → text_embeds [batch_size, 512].
/// </summary>
public sealed class ClapFolderFixture : IDisposable
{
    public const int Dimension = 512;
    public const int MelBins = 64;
    public const int Frames = 1001;

    private readonly TempDirectory _directory = new("synthio-clap");

    public ClapFolderFixture()
    {
        var random = new Random(1234);
        AudioWeights = Enumerable.Range(0, MelBins * Dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var vocabulary = TinyTokenizerJson.Vocabulary.Count;
        TokenEmbeddings = Enumerable.Range(0, vocabulary * Dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        Array.Clear(TokenEmbeddings, 1 * Dimension, Dimension); // pad id 1 contributes nothing, as in the real model

        var audio = new OnnxGraphBuilder()
            .Input("input_features", OnnxGraphBuilder.Float, "batch_size", 1, Frames, MelBins)
            .Output("audio_embeds", OnnxGraphBuilder.Float, "batch_size", Dimension);
        var mean = audio.Node("ReduceMean", ["input_features"], null, OnnxGraphBuilder.Ints("axes", 1, 2), OnnxGraphBuilder.Int("keepdims", 0));
        audio.Node("MatMul", [mean, audio.Constant(AudioWeights, MelBins, Dimension)], "audio_embeds");
        audio.Save(Path.Combine(Folder, "onnx", "audio_model.onnx"));

        var text = new OnnxGraphBuilder()
            .Input("input_ids", OnnxGraphBuilder.Int64, "batch_size", "sequence_length")
            .Output("text_embeds", OnnxGraphBuilder.Float, "batch_size", Dimension);
        var gathered = text.Node("Gather", [text.Constant(TokenEmbeddings, vocabulary, Dimension), "input_ids"], null, OnnxGraphBuilder.Int("axis", 0));
        text.Node("ReduceSum", [gathered, text.ConstantInt64([1], 1)], "text_embeds", OnnxGraphBuilder.Int("keepdims", 0));
        text.Save(Path.Combine(Folder, "onnx", "text_model.onnx"));

        TinyTokenizerJson.Write(Path.Combine(Folder, "tokenizer.json"));
        var preprocessor = new JsonObject
        {
            ["chunk_length_s"] = 10,
            ["feature_extractor_type"] = "ClapFeatureExtractor",
            ["feature_size"] = 64,
            ["fft_window_size"] = 1024,
            ["frequency_max"] = 14000,
            ["frequency_min"] = 50,
            ["hop_length"] = 480,
            ["max_length_s"] = 10,
            ["n_fft"] = 1024,
            ["nb_frequency_bins"] = 513,
            ["nb_max_frames"] = 1000,
            ["nb_max_samples"] = 480000,
            ["padding"] = "repeatpad",
            ["padding_side"] = "right",
            ["padding_value"] = 0.0,
            ["processor_class"] = "ClapProcessor",
            ["return_attention_mask"] = false,
            ["sampling_rate"] = 48000,
            ["top_db"] = null,
            ["truncation"] = "rand_trunc",
        };
        File.WriteAllText(Path.Combine(Folder, "preprocessor_config.json"), preprocessor.ToJsonString());
    }

    public string Folder => _directory.Path;

    public float[] AudioWeights { get; }

    public float[] TokenEmbeddings { get; }

    /// <summary>What the tiny audio tower computes from time-major features: mean over frames, times W.</summary>
    public double[] ExpectedAudioEmbedding(float[] features)
    {
        var mean = new double[MelBins];
        for (var f = 0; f < Frames; f++)
        {
            for (var m = 0; m < MelBins; m++)
            {
                mean[m] += features[f * MelBins + m];
            }
        }

        var embedding = new double[Dimension];
        for (var m = 0; m < MelBins; m++)
        {
            mean[m] /= Frames;
            for (var d = 0; d < Dimension; d++)
            {
                embedding[d] += mean[m] * AudioWeights[m * Dimension + d];
            }
        }

        return embedding;
    }

    /// <summary>What the tiny text tower computes: the sum of the token rows.</summary>
    public double[] ExpectedTextEmbedding(IEnumerable<int> ids)
    {
        var embedding = new double[Dimension];
        foreach (var id in ids)
        {
            for (var d = 0; d < Dimension; d++)
            {
                embedding[d] += TokenEmbeddings[id * Dimension + d];
            }
        }

        return embedding;
    }

    public void Dispose() => _directory.Dispose();
}
