namespace Synthio.Language.Ollama;

/// <summary>How to reach and drive an Ollama server. Defaults suit a local <c>ollama serve</c>.</summary>
public sealed record OllamaOptions
{
    /// <summary>Where a stock Ollama listens.</summary>
    public const string DefaultUrl = "http://127.0.0.1:11434";

    /// <summary>Model used when none is configured.</summary>
    public const string DefaultModel = "llama3.2";

    /// <summary>Environment variable that overrides <see cref="DefaultUrl"/> (a command-line option overrides both).</summary>
    public const string UrlEnvironmentVariable = "SYNTHIO_OLLAMA_URL";

    /// <summary>The server's base address.</summary>
    public Uri Url { get; init; } = new(DefaultUrl);

    /// <summary>Model name as <c>ollama list</c> shows it; a name without a tag means <c>:latest</c>.</summary>
    public string Model { get; init; } = DefaultModel;

    /// <summary>Sampling temperature for every prompt (part of the identity, hence of every cache key).</summary>
    public float Temperature { get; init; } = 0.7f;

    /// <summary>Base seed mixed with each call's own seed, so a run is repeatable on one model version.</summary>
    public int Seed { get; init; }

    /// <summary>Longest wait for one reply; a slower reply is abandoned and retried.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Most requests in flight at once against the server.</summary>
    public int MaxConcurrency { get; init; } = 2;

    /// <summary>Further attempts after a timeout, a 5xx answer, a broken connection or a reply that fails its schema.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First wait before a retry; doubled on every further retry (capped at 30 s).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The URL to use: <paramref name="commandLineUrl"/> when given, else <see cref="UrlEnvironmentVariable"/>, else
    /// <see cref="DefaultUrl"/>.
    /// </summary>
    /// <exception cref="Diagnostics.SynthioException">SYN9001 when the chosen value is not an absolute http(s) URL.</exception>
    public static Uri ResolveUrl(string? commandLineUrl = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var text = !string.IsNullOrWhiteSpace(commandLineUrl) ? commandLineUrl
            : environment(UrlEnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : DefaultUrl;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new Diagnostics.SynthioException(Diagnostics.DiagnosticCodes.BadOption, $"'{text}' is not an http(s) URL for the Ollama server");
        }

        return uri;
    }

    /// <summary>Ollama's own name rule: a model name without a tag means <c>:latest</c>.</summary>
    public static string NormalizeModelName(string name)
    {
        var trimmed = name.Trim();
        return trimmed.Contains(':', StringComparison.Ordinal) ? trimmed : trimmed + ":latest";
    }
}
