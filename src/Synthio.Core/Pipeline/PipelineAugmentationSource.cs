using Synthio.Audio;
using Synthio.Datasets;
using Synthio.Evaluation;
using Synthio.Policy;

namespace Synthio.Pipeline;

/// <summary>
/// The evaluation modes that augment (<c>synthio</c> and its ablations, <c>classic</c>, fixed policies such as
/// <c>classic×4</c>, and <c>auto</c>): runs the augmentation pipeline on the drawn training subset only —
/// generation never sees the test split — and hands its augmented clips to training in memory. Work is cached
/// like any build, so repeated evaluations reuse it; only the manifests are written, under the work folder.
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

    /// <summary>The manifest of the last run (the chosen policy of <c>auto</c>, per-label stats), for logs and benches.</summary>
    public AugmentManifest? LastManifest { get; private set; }

    /// <summary>Set for <c>auto</c> only: fixed modes need no record of their own policy.</summary>
    public string? LastPolicy => _options.AutoPolicy ? LastManifest?.Policy : null;

    public PolicyDecision? LastPolicySearch => _options.AutoPolicy ? LastManifest?.PolicySearch : null;

    public async Task<IReadOnlyList<AugmentedClip>> AugmentAsync(Dataset trainSubset, int seed, CancellationToken ct)
    {
        var train = trainSubset.WithClips(trainSubset.Train);
        var fingerprint = Caching.StepKey.Sha256Hex(string.Join("\n", train.Clips.Select(c => c.Path)))[..16];
        var output = Path.Combine(_workDirectory, FileNames.ForLabel(Mode), $"seed{seed}-{fingerprint}");
        var result = await _pipeline.RunAsync(train, output, _options with { Seed = seed, HoldoutFraction = 0, WriteClips = false }, ct).ConfigureAwait(false);
        LastManifest = result.Manifest;
        var pathOfGold = result.Manifest.Clips
            .Where(c => c.Origin == ClipOrigin.Gold)
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Path.GetFullPath(g.First().Path), StringComparer.Ordinal);
        var goldOfLabel = result.Manifest.Clips
            .Where(c => c.Origin == ClipOrigin.Gold)
            .GroupBy(c => c.Label, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(c => Path.GetFullPath(c.Path)).ToArray(), StringComparer.Ordinal);
        return result.Manifest.Clips
            .Where(c => c.Origin != ClipOrigin.Gold)
            .Select(c => new AugmentedClip(
                c.Label,
                c.Sources is { Count: > 0 } sources
                    ? sources.Where(pathOfGold.ContainsKey).Select(s => pathOfGold[s]).ToArray()
                    : goldOfLabel[c.Label],
                Audio: WavFile.Parse(result.Audio![c.Blob!], $"{Mode} clip {c.Key}").ToMono()))
            .ToArray();
    }
}
