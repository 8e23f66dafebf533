using Synthio.Caching;
using Synthio.Diagnostics;
using Synthio.Filtering;
using Synthio.Generation;

namespace Synthio.Pipeline;

/// <summary>
/// Makes the run's generator. Embedded generators are built from (and tuned on) the training material;
/// model-backed ones ignore it. Providers cache their own fitting steps in <see cref="StepCache"/>.
/// </summary>
public interface IGeneratorProvider
{
    /// <param name="thresholds">The filter's threshold of each label, which tuning measures acceptance against.</param>
    Task<ITextToAudio> CreateAsync(TrainingMaterial material, IAudioTextScorer scorer, IReadOnlyDictionary<string, double> thresholds, StepCache cache, AugmentOptions options, IPipelineReporter reporter, CancellationToken cancellationToken);
}

/// <summary>Makes the run's label-consistency scorer, fitted on the training material where needed.</summary>
public interface IScorerProvider
{
    Task<IAudioTextScorer> CreateAsync(TrainingMaterial material, StepCache cache, IPipelineReporter reporter, CancellationToken cancellationToken);
}
