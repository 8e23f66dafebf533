using Synthio.Audio;
using Synthio.Features;

namespace Synthio.Onnx.Clap;

/// <summary>
/// CLAP audio embeddings as training features, L2-normalised so that their dot product is CLAP's cosine
/// similarity and the classifier sees the same geometry the scorer does.
/// </summary>
public sealed class ClapAudioEmbedder : IAudioEmbedder
{
    private const string Version = "1";

    private readonly ClapModel _model;

    public ClapAudioEmbedder(ClapModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        Identity = $"clap-onnx-embedder/{Version} l2-normalised {model.Fingerprint}";
    }

    public string Identity { get; }

    public int Dimension => _model.Dimension;

    /// <summary>The CLAP model it runs (shared with any other backend opened on the same folder and device).</summary>
    internal ClapModel Model => _model;

    public float[] Embed(AudioBuffer audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        // Synchronous callers run their own model call (sessions are thread-safe) rather than block a
        // thread-pool thread on the shared batch queue.
        return Normalise(_model.EmbedAudio([audio])[0]);
    }

    /// <summary>Embeds many clips in batches.</summary>
    public float[][] EmbedBatch(IReadOnlyList<AudioBuffer> clips) => _model.EmbedAudio(clips).Select(Normalise).ToArray();

    private static float[] Normalise(float[] embedding)
    {
        double sum = 0;
        foreach (var value in embedding)
        {
            sum += (double)value * value;
        }

        var result = new float[embedding.Length];
        if (sum == 0)
        {
            return result;
        }

        var scale = 1 / Math.Sqrt(sum);
        for (var i = 0; i < embedding.Length; i++)
        {
            result[i] = (float)(embedding[i] * scale);
        }

        return result;
    }
}
