using Synthio.Caching;
using Synthio.Diagnostics;
using Synthio.Filtering;
using Synthio.Generation;

namespace Synthio.Pipeline;

/// <summary>
/// Fits the embedded label-consistency scorer on the training clips. The fitted parameters are a cached
/// step keyed by the training clips' hashes, so an unchanged dataset never refits.
/// </summary>
public sealed class EmbeddedScorerProvider : IScorerProvider
{
    public const string FitStep = "fit-scorer";

    public async Task<IAudioTextScorer> CreateAsync(TrainingMaterial material, StepCache cache, IPipelineReporter reporter, CancellationToken cancellationToken)
    {
        var embedder = new LabelScorerEmbedder();
        var json = await cache.GetOrComputeAsync(
            FitStep,
            new { version = EmbeddedLabelScorer.Version, embedder = embedder.Identity, material = material.Fingerprint },
            _ => Task.Run(() => EmbeddedLabelScorer.Fit(embedder, material.Clips.Select(c => new ScorerTrainingClip(c.Label, c.Audio, c.Id)).ToArray()).ToJson(), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return EmbeddedLabelScorer.FromJson(json, embedder);
    }
}

/// <summary>Builds the embedded generator from the training clips of each label.</summary>
public sealed class EmbeddedGeneratorProvider : IGeneratorProvider
{
    public Task<ITextToAudio> CreateAsync(TrainingMaterial material, IAudioTextScorer scorer, StepCache cache, AugmentOptions options, IPipelineReporter reporter, CancellationToken cancellationToken)
    {
        var byLabel = material.ByLabel.ToDictionary(
            p => p.Key,
            p => (IReadOnlyList<GoldClip>)p.Value.Select(c => new GoldClip(c.Id, c.Audio)).ToArray(),
            StringComparer.Ordinal);
        return Task.FromResult<ITextToAudio>(new EmbeddedGenerator(byLabel, GeneratorParameters.Default));
    }
}

/// <summary>A model-backed generator that needs no training material (an ONNX text-to-audio bundle).</summary>
public sealed class FixedGeneratorProvider(ITextToAudio generator) : IGeneratorProvider
{
    public Task<ITextToAudio> CreateAsync(TrainingMaterial material, IAudioTextScorer scorer, StepCache cache, AugmentOptions options, IPipelineReporter reporter, CancellationToken cancellationToken) =>
        Task.FromResult(generator);
}

/// <summary>A model-backed scorer that needs no fitting (ONNX CLAP).</summary>
public sealed class FixedScorerProvider(IAudioTextScorer scorer) : IScorerProvider
{
    public Task<IAudioTextScorer> CreateAsync(TrainingMaterial material, StepCache cache, IPipelineReporter reporter, CancellationToken cancellationToken) =>
        Task.FromResult(scorer);
}
