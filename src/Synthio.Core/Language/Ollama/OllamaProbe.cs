using System.Net.Sockets;
using OllamaSharp;

namespace Synthio.Language.Ollama;

/// <summary>A model the server has pulled.</summary>
public sealed record OllamaModelInfo(string Name, string Digest, long SizeBytes);

/// <summary>What <see cref="OllamaProbe"/> found: for <c>doctor</c>.</summary>
/// <param name="Url">The address probed.</param>
/// <param name="Reachable">Whether the server answered.</param>
/// <param name="Version">The server's version, when it answered.</param>
/// <param name="Models">The pulled models (empty when unreachable).</param>
/// <param name="Error">Why it is unreachable, when it is.</param>
public sealed record OllamaStatus(Uri Url, bool Reachable, string? Version, IReadOnlyList<OllamaModelInfo> Models, string? Error)
{
    /// <summary>Whether <paramref name="model"/> (tag optional) is among <see cref="Models"/>.</summary>
    public bool HasModel(string model) =>
        Models.Any(m => string.Equals(OllamaOptions.NormalizeModelName(m.Name), OllamaOptions.NormalizeModelName(model), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Checks an Ollama server without generating anything: reachable? which version? which models?</summary>
public static class OllamaProbe
{
    /// <summary>Asks <c>/api/version</c> and <c>/api/tags</c>; never throws for an unreachable or failing server.</summary>
    public static async Task<OllamaStatus> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var http = new HttpClient { BaseAddress = url, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var client = new OllamaApiClient(http);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var version = await client.GetVersionAsync(deadline.Token).ConfigureAwait(false);
            var models = await client.ListLocalModelsAsync(deadline.Token).ConfigureAwait(false);
            var infos = models
                .Select(m => new OllamaModelInfo(m.Name ?? m.ModelName ?? string.Empty, m.Digest ?? string.Empty, m.Size))
                .OrderBy(m => m.Name, StringComparer.Ordinal)
                .ToArray();
            return new OllamaStatus(url, true, version, infos, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new OllamaStatus(url, false, null, [], $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or System.Text.Json.JsonException or OllamaSharp.Models.Exceptions.OllamaException)
        {
            return new OllamaStatus(url, false, null, [], ex.Message);
        }
    }
}
