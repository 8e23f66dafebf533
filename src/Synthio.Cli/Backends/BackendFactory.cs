using Synthio.Caching;
using Synthio.Captioning;
using Synthio.Diagnostics;
using Synthio.Language;
using Synthio.Language.Ollama;
using Synthio.Pipeline;

namespace Synthio.Cli.Backends;

/// <summary>Turns the command line's backend choices into the pipeline's backends.</summary>
internal static class BackendFactory
{
    public static async Task<AugmentationBackends> CreateAsync(BackendOptions options, StepCache cache, IPipelineReporter reporter, CancellationToken ct)
    {
        var languageModel = await CreateLanguageModelAsync(options, reporter, ct).ConfigureAwait(false);
        return new AugmentationBackends(
            new DescriptorCaptioner(),
            new CachedLanguageModel(languageModel, cache),
            CreateGenerator(options, reporter),
            CreateScorer(options, reporter));
    }

    private static async Task<ILanguageModel> CreateLanguageModelAsync(BackendOptions options, IPipelineReporter reporter, CancellationToken ct)
    {
        var model = LanguageModelFactory.Create(options.LanguageModel, options.OllamaEndpoint, options.OllamaModelName);
        if (model is not OllamaLanguageModel ollama || !options.FallbackToOffline)
        {
            return model;
        }

        // Fallback only when asked for, and never silently.
        var status = await OllamaProbe.ProbeAsync(ollama.Options.Url, TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        if (status.Reachable)
        {
            return ollama;
        }

        ollama.Dispose();
        reporter.Report(Diagnostic.Warning(DiagnosticCodes.LanguageModelFallback, $"Ollama is not reachable at {ollama.Options.Url} ({status.Error}); using the offline composer as the fallback setting asks"));
        return new OfflineComposer();
    }

    private static IGeneratorProvider CreateGenerator(BackendOptions options, IPipelineReporter reporter)
    {
        var spec = options.GeneratorSpec;
        if (spec.Equals("embedded", StringComparison.OrdinalIgnoreCase))
        {
            return new EmbeddedGeneratorProvider();
        }

        if (spec.StartsWith("onnx:", StringComparison.OrdinalIgnoreCase))
        {
            return new FixedGeneratorProvider(OnnxPlugin.CreateTextToAudio(spec["onnx:".Length..], options.DeviceSpec, reporter));
        }

        throw CommandRunner.Usage($"--generator: unknown generator '{spec}' (use embedded or onnx:<bundle-dir>)");
    }

    private static IScorerProvider CreateScorer(BackendOptions options, IPipelineReporter reporter)
    {
        var spec = options.ScorerSpec;
        if (spec.Equals("embedded", StringComparison.OrdinalIgnoreCase))
        {
            return new EmbeddedScorerProvider();
        }

        if (spec.StartsWith("clap:", StringComparison.OrdinalIgnoreCase))
        {
            return new FixedScorerProvider(OnnxPlugin.CreateClapScorer(spec["clap:".Length..], options.DeviceSpec, options.ClapLogitScale, reporter));
        }

        throw CommandRunner.Usage($"--scorer: unknown scorer '{spec}' (use embedded or clap:<model-dir>)");
    }
}
