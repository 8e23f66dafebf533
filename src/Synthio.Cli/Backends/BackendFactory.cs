using System.CommandLine;
using Synthio.Caching;
using Synthio.Captioning;
using Synthio.Cli.Commands;
using Synthio.Diagnostics;
using Synthio.Features;
using Synthio.Filtering;
using Synthio.Language;
using Synthio.Language.Ollama;
using Synthio.Pipeline;

namespace Synthio.Cli.Backends;

/// <summary>Turns the command line's backend choices into the pipeline's backends.</summary>
internal static class BackendFactory
{
    /// <param name="clapScorer">A CLAP scorer the caller already opened for <c>--scorer clap:</c>, reused rather than opened again.</param>
    public static async Task<AugmentationBackends> CreateAsync(BackendOptions options, StepCache cache, IPipelineReporter reporter, CancellationToken ct, IAudioTextScorer? clapScorer = null)
    {
        var languageModel = await CreateLanguageModelAsync(options, reporter, ct).ConfigureAwait(false);
        return new AugmentationBackends(
            new DescriptorCaptioner(),
            new CachedLanguageModel(languageModel, cache),
            CreateGenerator(options, reporter),
            CreateScorer(options, reporter, clapScorer));
    }

    /// <summary>Opens the CLAP model that <c>--scorer clap:&lt;dir&gt;</c> names (hashing its files and starting its sessions).</summary>
    public static IAudioTextScorer OpenClapScorer(BackendOptions options, IPipelineReporter reporter) =>
        OnnxPlugin.CreateClapScorer(options.ScorerSpec["clap:".Length..], options.DeviceSpec, options.ClapLogitScale, reporter);

    /// <summary>The classifier's features that <c>--embedder</c> names (on <c>--device</c>): null for the embedded spectral statistics.</summary>
    public static IAudioEmbedder? OpenEmbedder(ParseResult parse, IPipelineReporter reporter)
    {
        var spec = parse.GetValue(BackendOptions.Embedder) ?? "embedded";
        var device = parse.GetValue(BackendOptions.Device) ?? "auto";
        if (spec.Equals("embedded", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (spec.StartsWith("clap:", StringComparison.OrdinalIgnoreCase))
        {
            return OnnxPlugin.CreateClapEmbedder(spec["clap:".Length..], device, reporter);
        }

        throw CommandRunner.Usage($"--embedder: unknown embedder '{spec}' (use embedded or clap:<model-dir>)");
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

    private static IScorerProvider CreateScorer(BackendOptions options, IPipelineReporter reporter, IAudioTextScorer? clapScorer)
    {
        var spec = options.ScorerSpec;
        if (spec.Equals("embedded", StringComparison.OrdinalIgnoreCase))
        {
            return new EmbeddedScorerProvider();
        }

        if (spec.StartsWith("clap:", StringComparison.OrdinalIgnoreCase))
        {
            return new FixedScorerProvider(clapScorer ?? OpenClapScorer(options, reporter));
        }

        throw CommandRunner.Usage($"--scorer: unknown scorer '{spec}' (use embedded or clap:<model-dir>)");
    }
}
