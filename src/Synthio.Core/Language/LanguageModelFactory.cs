using Synthio.Diagnostics;
using Synthio.Language.Ollama;

namespace Synthio.Language;

/// <summary>
/// Builds the language model named on the command line (<c>--llm offline|ollama</c>, <c>--ollama-url</c>,
/// <c>--ollama-model</c>) or by MSBuild properties, so the CLI and the build agree on defaults.
/// </summary>
public static class LanguageModelFactory
{
    /// <summary>The embedded default.</summary>
    public const string Offline = "offline";

    /// <summary>A model on an Ollama server.</summary>
    public const string Ollama = "ollama";

    /// <summary>
    /// The model for <paramref name="backend"/> (case-insensitive; null or empty means offline). For Ollama the URL
    /// is resolved by <see cref="OllamaOptions.ResolveUrl"/> (option, then <c>SYNTHIO_OLLAMA_URL</c>, then the
    /// local default) and the model defaults to <see cref="OllamaOptions.DefaultModel"/>; <paramref name="configure"/>
    /// may adjust the rest (timeout, retries, concurrency, temperature, seed). An Ollama model is
    /// <see cref="IDisposable"/>: dispose what this returns when it is.
    /// </summary>
    /// <exception cref="SynthioException">SYN9001 for an unknown backend or a malformed URL.</exception>
    public static ILanguageModel Create(
        string? backend,
        string? ollamaUrl = null,
        string? ollamaModel = null,
        Func<OllamaOptions, OllamaOptions>? configure = null,
        PromptLibrary? prompts = null,
        Func<string, string?>? environment = null)
    {
        var kind = string.IsNullOrWhiteSpace(backend) ? Offline : backend.Trim().ToLowerInvariant();
        switch (kind)
        {
            case Offline:
                return new OfflineComposer();
            case Ollama:
                var options = new OllamaOptions
                {
                    Url = OllamaOptions.ResolveUrl(ollamaUrl, environment),
                    Model = string.IsNullOrWhiteSpace(ollamaModel) ? OllamaOptions.DefaultModel : ollamaModel.Trim(),
                };
                return new OllamaLanguageModel(configure is null ? options : configure(options), prompts);
            default:
                throw new SynthioException(DiagnosticCodes.BadOption, $"unknown language model '{backend}': use '{Offline}' or '{Ollama}'");
        }
    }
}
