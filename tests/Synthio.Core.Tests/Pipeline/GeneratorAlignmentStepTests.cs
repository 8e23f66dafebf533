using Synthio.Caching;
using Synthio.Diagnostics;
using Synthio.Filtering;
using Synthio.Generation;
using Synthio.Pipeline;
using Synthio.Tests;

namespace Synthio.Core.Tests.Pipeline;

/// <summary>The alignment step as the pipeline runs it: preference tuning of the embedded generator, cached.</summary>
public class GeneratorAlignmentStepTests : IClassFixture<GenerationTestMaterial>
{
    private readonly GenerationTestMaterial _material;

    public GeneratorAlignmentStepTests(GenerationTestMaterial material) => _material = material;

    private TrainingMaterial Material(int labels) => new(
        _material.Training.OrderBy(p => p.Key, StringComparer.Ordinal).Take(labels)
            .SelectMany(p => p.Value.Select(c => new TrainingClip(c.Id, p.Key, c.Id, c.Audio))));

    [Fact]
    public async Task TheGeneratorIsTunedOnceThenReusedAndTheAblationUsesTheDefaults()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        var material = Material(3);
        var provider = new EmbeddedGeneratorProvider();
        var options = new AugmentOptions { Seed = 1 };

        EmbeddedGenerator first;
        using (var cache = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter))
        {
            first = (EmbeddedGenerator)await provider.CreateAsync(material, _material.Scorer, Thresholds(material), cache, options, reporter, CancellationToken.None);
            Assert.Equal((1, 0), (cache.Counters[EmbeddedGeneratorProvider.TuneStep].Computed, cache.Counters[EmbeddedGeneratorProvider.TuneStep].Reused));
        }

        using (var cache = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter))
        {
            var second = (EmbeddedGenerator)await provider.CreateAsync(material, _material.Scorer, Thresholds(material), cache, options, reporter, CancellationToken.None);
            Assert.Equal((0, 1), (cache.Counters[EmbeddedGeneratorProvider.TuneStep].Computed, cache.Counters[EmbeddedGeneratorProvider.TuneStep].Reused));
            Assert.Equal(first.Parameters, second.Parameters);
            Assert.Equal(first.Identity, second.Identity);

            var ablated = (EmbeddedGenerator)await provider.CreateAsync(material, _material.Scorer, Thresholds(material), cache, options with { Ablations = new GenerationAblations(NoAlignment: true) }, reporter, CancellationToken.None);
            Assert.Equal(GeneratorParameters.Default, ablated.Parameters);
            Assert.Equal(1, cache.Counters[EmbeddedGeneratorProvider.TuneStep].Reused + cache.Counters[EmbeddedGeneratorProvider.TuneStep].Computed);
        }

        // The tuned parameters are those the tuner prefers over the defaults on this material.
        var direct = await PreferenceTuner.TuneAsync(new EmbeddedGenerator(_material.Training.OrderBy(p => p.Key, StringComparer.Ordinal).Take(3).ToDictionary(p => p.Key, p => p.Value), GeneratorParameters.Default), _material.Training.OrderBy(p => p.Key, StringComparer.Ordinal).Take(3).ToDictionary(p => p.Key, p => p.Value), _material.Scorer, new Synthio.Features.SpectralStatisticsEmbedder(), new PreferenceTuningOptions { Seed = 1, Threshold = options.Threshold.Cap });
        Assert.Equal(direct.Best, first.Parameters);
    }

    private static IReadOnlyDictionary<string, double> Thresholds(TrainingMaterial material) =>
        material.Labels.ToDictionary(l => l, _ => ScoreThreshold.Paper.Cap, StringComparer.Ordinal);
}
