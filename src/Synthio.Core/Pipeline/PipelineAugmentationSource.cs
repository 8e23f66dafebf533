using Synthio.Datasets;
using Synthio.Evaluation;

namespace Synthio.Pipeline;

/// <summary>
/// The <c>synthio</c> evaluation mode (and its ablations): runs the augmentation pipeline on the drawn
/// training subset only — generation never sees the test split — and hands its accepted clips to training.
/// Work is cached like any build, so repeated evaluations reuse it.
/// </summary>
public sealed class PipelineAugmentationSource : IAugmentationSource
{
    private readonly AugmentationPipeline _pipeline;
    private readonly AugmentOptions _options;
    private readonly string _workDirectory;

    public PipelineAugmentationSource(string mode, AugmentationPipeline pipeline, AugmentOptions options, string workDirectory)
    {
        Mode = mode;
        _pipeline = pipeline;
        _options = options;
        _workDirectory = workDirectory;
    }

    public string Mode { get; }

    public async Task<IReadOnlyList<AugmentedClip>> AugmentAsync(Dataset trainSubset, int seed, CancellationToken ct)
    {
        var train = trainSubset.WithClips(trainSubset.Train);
        var fingerprint = Caching.StepKey.Sha256Hex(string.Join("\n", train.Clips.Select(c => c.Path)))[..16];
        var output = Path.Combine(_workDirectory, Mode, $"seed{seed}-{fingerprint}");
        var result = await _pipeline.RunAsync(train, output, _options with { Seed = seed, HoldoutFraction = 0 }, ct).ConfigureAwait(false);
        var pathOfGold = result.Manifest.Clips
            .Where(c => c.Origin == "gold")
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Path.GetFullPath(g.First().Path), StringComparer.Ordinal);
        var goldOfLabel = result.Manifest.Clips
            .Where(c => c.Origin == "gold")
            .GroupBy(c => c.Label, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(c => Path.GetFullPath(c.Path)).ToArray(), StringComparer.Ordinal);
        return result.Manifest.Clips
            .Where(c => c.Origin == "synthetic")
            .Select(c => new AugmentedClip(
                c.Label,
                c.Sources is { Count: > 0 } sources
                    ? sources.Where(pathOfGold.ContainsKey).Select(s => pathOfGold[s]).ToArray()
                    : goldOfLabel[c.Label],
                Path: AugmentManifest.Resolve(result.ManifestPath, c)))
            .ToArray();
    }
}
