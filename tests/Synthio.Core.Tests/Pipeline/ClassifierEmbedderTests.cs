using Synthio.Audio;
using Synthio.Caching;
using Synthio.Diagnostics;
using Synthio.Features;
using Synthio.Pipeline;
using Synthio.Tests;
using Synthio.Training;

namespace Synthio.Core.Tests.Pipeline;

/// <summary>Training on features other than the embedded ones (CLAP embeddings through the plug-in, in real use).</summary>
public class ClassifierEmbedderTests
{
    /// <summary>The embedded features under another name, counting its calls: what matters here is the identity.</summary>
    internal sealed class RenamedEmbedder(string identity) : IAudioEmbedder
    {
        private readonly SpectralStatisticsEmbedder _inner = new();
        private int _calls;

        public int Calls => _calls;

        public string Identity => identity;

        public int Dimension => _inner.Dimension;

        public float[] Embed(AudioBuffer audio)
        {
            Interlocked.Increment(ref _calls);
            return _inner.Embed(audio);
        }
    }

    private static string ToneDataset(TempDirectory temp)
    {
        foreach (var (label, frequency) in new[] { ("low", 220.0), ("high", 3000.0) })
        {
            for (var i = 0; i < 4; i++)
            {
                TrainingToyData.WriteTone(temp.Combine("data", label, $"{i}.wav"), frequency * (1 + (0.02 * i)), seed: i);
            }
        }

        return temp.Combine("data");
    }

    [Fact]
    public async Task AModelTrainedOnAnotherEmbeddersFeaturesLoadsOnlyWithThatEmbedder()
    {
        using var temp = new TempDirectory();
        var data = ToneDataset(temp);
        var reporter = new CollectingReporter();
        using var cache = new StepCache(null, reporter);
        var embedder = new RenamedEmbedder("test-embedder/1");
        var result = await new ClassifierTrainingRun(cache, reporter).RunAsync(
            data,
            null,
            new TrainingRunOptions { Embedder = embedder, TimeBudget = TimeSpan.FromSeconds(5) });

        Assert.Equal(8, embedder.Calls);
        Assert.Equal("test-embedder/1", result.Shipped.FeatureIdentity);
        var modelPath = temp.Combine("model.zip");
        result.Shipped.Save(modelPath);

        // Without the embedder: not "retrain", but which features the model needs.
        var missing = Assert.Throws<SynthioException>(() => SynthioClassifier.Load(modelPath));
        Assert.Equal(DiagnosticCodes.ModelNeedsEmbedder, missing.Code);
        Assert.Contains("test-embedder/1", missing.Message, StringComparison.Ordinal);
        Assert.Contains("--embedder", missing.Message, StringComparison.Ordinal);

        // Another model behind the same kind of features (other hashes) is a mismatch.
        var other = Assert.Throws<SynthioException>(() => SynthioClassifier.Load(modelPath, new RenamedEmbedder("test-embedder/2")));
        Assert.Equal(DiagnosticCodes.FeatureMismatch, other.Code);

        var loaded = SynthioClassifier.Load(modelPath, new RenamedEmbedder("test-embedder/1"));
        Assert.Equal("low", loaded.Predict(TrainingToyData.WriteTone(temp.Combine("probe-low.wav"), 230, seed: 9)).Label);
        Assert.Equal("high", loaded.Predict(TrainingToyData.WriteTone(temp.Combine("probe-high.wav"), 2900, seed: 9)).Label);
    }
}
