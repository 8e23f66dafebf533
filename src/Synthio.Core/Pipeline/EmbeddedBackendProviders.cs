using Synthio.Caching;
using Synthio.Diagnostics;
using Synthio.Features;
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

/// <summary>
/// Builds the embedded generator from the training clips of each label, with its transform ranges tuned by
/// preference against those clips (<see cref="PreferenceTuner"/>, the alignment step) unless the
/// <c>no-alignment</c> ablation asks for the defaults. The tuned parameters are a cached step keyed by the
/// clips, the scorer and the tuning settings. Clip keys carry the parameters, not the other labels' clips,
/// so a new clip of one label leaves the other labels' clips alone whenever the tuning keeps its choice.
/// </summary>
public sealed class EmbeddedGeneratorProvider : IGeneratorProvider
{
    public const string TuneStep = "tune-generator";

    public async Task<ITextToAudio> CreateAsync(TrainingMaterial material, IAudioTextScorer scorer, IReadOnlyDictionary<string, double> thresholds, StepCache cache, AugmentOptions options, IPipelineReporter reporter, CancellationToken cancellationToken)
    {
        var byLabel = material.ByLabel.ToDictionary(
            p => p.Key,
            p => (IReadOnlyList<GoldClip>)p.Value.Select(c => new GoldClip(c.Id, c.Audio)).ToArray(),
            StringComparer.Ordinal);
        var start = new EmbeddedGenerator(byLabel, GeneratorParameters.Default);
        if (options.Ablations.NoAlignment)
        {
            return start;
        }

        var embedder = new SpectralStatisticsEmbedder();
        var tuning = new PreferenceTuningOptions
        {
            Seed = options.Seed,
            Threshold = options.Threshold.Cap,
            LabelThresholds = options.Threshold.FromGold ? thresholds.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) : null,
        };
        var tuned = await cache.GetOrComputeAsync(
            TuneStep,
            new { version = PreferenceTuner.Version, material = material.Fingerprint, scorer = scorer.Identity, embedder = embedder.Identity, start = GeneratorParameters.Default, tuning },
            async t =>
            {
                reporter.Info("tuning the generator's transform ranges by preference against the gold clips (alignment)");
                var result = await Task.Run(() => PreferenceTuner.TuneAsync(start, byLabel, scorer, embedder, tuning, t), t).ConfigureAwait(false);
                return result.Best;
            },
            cancellationToken).ConfigureAwait(false);
        return start.WithParameters(tuned);
    }
}

/// <summary>A model-backed generator that needs no training material (an ONNX text-to-audio bundle).</summary>
public sealed class FixedGeneratorProvider(ITextToAudio generator) : IGeneratorProvider
{
    public Task<ITextToAudio> CreateAsync(TrainingMaterial material, IAudioTextScorer scorer, IReadOnlyDictionary<string, double> thresholds, StepCache cache, AugmentOptions options, IPipelineReporter reporter, CancellationToken cancellationToken) =>
        Task.FromResult(generator);
}

/// <summary>A model-backed scorer that needs no fitting (ONNX CLAP).</summary>
public sealed class FixedScorerProvider(IAudioTextScorer scorer) : IScorerProvider
{
    public Task<IAudioTextScorer> CreateAsync(TrainingMaterial material, StepCache cache, IPipelineReporter reporter, CancellationToken cancellationToken) =>
        Task.FromResult(scorer);
}
