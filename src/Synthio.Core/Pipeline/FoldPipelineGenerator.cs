using Synthio.Audio;
using Synthio.Caching;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Policy;

namespace Synthio.Pipeline;

/// <summary>
/// The policy search's synthio source: runs the whole augmentation pipeline (captions, MixCap, generation,
/// filter, reflection) on one fold's training clips only, through the same cache as the build, and keeps
/// the fold's manifest under <c>policy/fold-k/</c> of the run's output so anyone can check what it read.
/// </summary>
public sealed class FoldPipelineGenerator : IFoldGenerator
{
    private readonly AugmentationBackends _backends;
    private readonly StepCache _cache;
    private readonly IPipelineReporter _reporter;
    private readonly string _datasetSource;
    private readonly string _runOutput;
    private readonly AugmentOptions _options;

    public FoldPipelineGenerator(AugmentationBackends backends, StepCache cache, IPipelineReporter reporter, string datasetSource, string runOutput, AugmentOptions options)
    {
        _backends = backends;
        _cache = cache;
        _reporter = reporter;
        _datasetSource = datasetSource;
        _runOutput = runOutput;
        _options = options;
    }

    public async Task<FoldGeneration> GenerateAsync(PolicyFold fold, int copies, CancellationToken ct)
    {
        var relative = $"{AugmentationPipeline.PolicyDirectory}/fold-{fold.Index + 1}";
        var dataset = new Dataset(_datasetSource, fold.Train.Select(c => new DatasetClip(c.Path, c.Label, ClipSplit.Train)));
        var pipeline = new AugmentationPipeline(_backends, _cache, new FoldReporter(_reporter, $"policy fold {fold.Index + 1}"));
        var result = await pipeline.RunAsync(
            dataset,
            Path.Combine(_runOutput, relative),
            _options with
            {
                AutoPolicy = false,
                Policy = new AugmentationPolicy(AugmentationSource.Synthio, copies),
                HoldoutFraction = 0,
                WriteClips = false,
            },
            ct).ConfigureAwait(false);
        var clips = result.Manifest.Clips
            .Where(c => c.Origin == ClipOrigin.Synthetic)
            .Select(c => new FoldSyntheticClip(c.Label, c.Key, c.Sources ?? Array.Empty<string>(), WavFile.Parse(result.Audio![c.Blob!], $"fold {fold.Index + 1} clip {c.Key}").ToMono()))
            .ToArray();
        return new FoldGeneration(clips, $"{relative}/{AugmentManifest.FileName}");
    }

    /// <summary>A fold's warnings (a label short of its target, say) are details of the search, not of the build: they become messages.</summary>
    private sealed class FoldReporter(IPipelineReporter inner, string prefix) : IPipelineReporter
    {
        public void Report(Diagnostic diagnostic)
        {
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                inner.Report(diagnostic with { Message = $"{prefix}: {diagnostic.Message}" });
            }
            else
            {
                inner.Info($"{prefix}: {diagnostic.Code}: {diagnostic.Message}");
            }
        }

        public void Progress(string stage, int done, int total)
        {
        }

        public void Info(string message)
        {
        }
    }
}
