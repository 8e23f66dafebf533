using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Exceptions;
using Synthio.Diagnostics;

namespace Synthio.Language.Ollama;

/// <summary>
/// Prompts 1–3 answered by a model on an Ollama server (through OllamaSharp): JSON output mode, temperature and
/// seed from <see cref="OllamaOptions"/>, a timeout per call, bounded concurrency, retries with exponential backoff
/// on timeouts, 5xx answers, broken connections and replies that fail their schema. The identity holds the
/// model's digest as the server reports it, the sampling settings and the prompt templates' identities, so
/// pulling a new model version or editing a prompt changes every cache key.
/// </summary>
public sealed class OllamaLanguageModel : ILanguageModel, IDisposable
{
    private readonly OllamaOptions _options;
    private readonly PromptLibrary _prompts;
    private readonly HttpClient _http;
    private readonly OllamaApiClient _client;
    private readonly SemaphoreSlim _gate;
    private readonly SemaphoreSlim _identityGate = new(1, 1);
    private string? _identity;

    /// <param name="options">Server, model and call policy.</param>
    /// <param name="prompts">Prompt templates; <see cref="PromptLibrary.Default"/> when null.</param>
    public OllamaLanguageModel(OllamaOptions options, PromptLibrary? prompts = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries);
        _prompts = prompts ?? PromptLibrary.Default;
        // Our own deadline per call (a linked token) replaces HttpClient's, so a timeout is told apart from the
        // caller cancelling.
        _http = new HttpClient { BaseAddress = options.Url, Timeout = Timeout.InfiniteTimeSpan };
        _client = new OllamaApiClient(_http, options.Model);
        _gate = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
    }

    /// <summary>The options this instance was built with.</summary>
    public OllamaOptions Options => _options;

    /// <summary>
    /// <c>ollama/&lt;model&gt;@&lt;digest&gt;;t=&lt;temperature&gt;;seed=&lt;seed&gt;;prompts=&lt;template identities&gt;</c>.
    /// Reads the digest from <c>/api/tags</c> once per instance.
    /// </summary>
    /// <exception cref="SynthioException">SYN2001 unreachable, SYN2002 model not pulled, SYN2006 server error.</exception>
    public async Task<string> GetIdentityAsync(CancellationToken cancellationToken = default)
    {
        if (_identity is not null)
        {
            return _identity;
        }

        await _identityGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_identity is not null)
            {
                return _identity;
            }

            var models = await SendAsync("model list", ct => _client.ListLocalModelsAsync(ct), cancellationToken).ConfigureAwait(false);
            var wanted = OllamaOptions.NormalizeModelName(_options.Model);
            var match = models.FirstOrDefault(m =>
                string.Equals(OllamaOptions.NormalizeModelName(m.Name ?? string.Empty), wanted, StringComparison.OrdinalIgnoreCase)
                || string.Equals(OllamaOptions.NormalizeModelName(m.ModelName ?? string.Empty), wanted, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                var pulled = string.Join(", ", models.Select(m => m.Name).Where(n => !string.IsNullOrEmpty(n)).Order(StringComparer.Ordinal));
                throw ModelMissing(pulled.Length == 0 ? "no models are pulled" : "pulled: " + pulled);
            }

            if (string.IsNullOrWhiteSpace(match.Digest))
            {
                throw new SynthioException(DiagnosticCodes.LanguageModelBadReply, $"Ollama at {_options.Url} lists model '{_options.Model}' without a digest; cannot key the cache on its version");
            }

            _identity = string.Create(CultureInfo.InvariantCulture,
                $"ollama/{wanted}@{match.Digest};t={_options.Temperature:0.###};seed={_options.Seed};prompts={_prompts.Identity}");
            return _identity;
        }
        finally
        {
            _identityGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<SoundComponents> ExtractComponentsAsync(string label, string caption, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(caption);
        var phrase = LabelPhrase.Of(label);
        var prompt = _prompts.Extract.Render(new Dictionary<string, string>
        {
            ["label_phrase"] = phrase,
            ["caption"] = caption,
        });
        return await AskAsync(_prompts.Extract, prompt, _options.Seed, reply => OllamaReplies.ParseComponents(reply, label), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ComposeCaptionsAsync(string label, SoundComponents pool, int count, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var prompt = _prompts.MixCap.Render(new Dictionary<string, string>
        {
            ["label_phrase"] = LabelPhrase.Of(label),
            ["count"] = count.ToString(CultureInfo.InvariantCulture),
            ["events"] = BulletList(pool.Events),
            ["scenes"] = BulletList(pool.Scenes),
        });
        return await AskAsync(_prompts.MixCap, prompt, MixSeed(seed), reply => OllamaReplies.ParseCaptions(reply, label, count), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> ReflectAsync(string label, string rejectedCaption, SoundComponents alreadyTried, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(rejectedCaption);
        ArgumentNullException.ThrowIfNull(alreadyTried);
        var prompt = _prompts.Reflect.Render(new Dictionary<string, string>
        {
            ["label_phrase"] = LabelPhrase.Of(label),
            ["caption"] = rejectedCaption,
            ["tried_events"] = BulletList(alreadyTried.Events),
            ["tried_scenes"] = BulletList(alreadyTried.Scenes),
        });
        return await AskAsync(_prompts.Reflect, prompt, MixSeed(seed), reply => OllamaReplies.ParseCaption(reply, label), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
        _gate.Dispose();
        _identityGate.Dispose();
    }

    private int MixSeed(int seed) => (int)(SeededRandom.Mix(_options.Seed, "ollama-call", seed) & 0x7FFFFFFF);

    private static string BulletList(IReadOnlyList<string> items) =>
        items.Count == 0 ? "- (none)" : string.Join('\n', items.Select(i => "- " + i.Trim()));

    /// <summary>One prompt → one validated reply, with the retry policy around it.</summary>
    private async Task<T> AskAsync<T>(PromptTemplate template, string prompt, int seed, Func<string, ReplyCheck<T>> check, CancellationToken cancellationToken)
    {
        // The identity read doubles as the check that the model is pulled (SYN2002 before any generation).
        await GetIdentityAsync(cancellationToken).ConfigureAwait(false);
        string? lastProblem = null;
        var what = $"prompt '{template.Name}' (v{template.Version})";
        for (var attempt = 0; ; attempt++)
        {
            var reply = await SendAsync(what, async ct =>
            {
                var request = new GenerateRequest
                {
                    Model = _options.Model,
                    Prompt = prompt,
                    Format = "json",
                    Stream = false,
                    Options = new RequestOptions { Temperature = _options.Temperature, Seed = seed },
                };
                var text = new StringBuilder();
                await foreach (var part in _client.GenerateAsync(request, ct).ConfigureAwait(false))
                {
                    text.Append(part?.Response);
                }

                return text.ToString();
            }, cancellationToken).ConfigureAwait(false);

            var result = check(reply);
            if (result.IsValid)
            {
                return result.Value!;
            }

            lastProblem = result.Problem;
            if (attempt >= _options.MaxRetries)
            {
                throw new SynthioException(DiagnosticCodes.LanguageModelBadReply,
                    $"Ollama model '{_options.Model}' gave no valid reply to {what} after {attempt + 1} attempts: {lastProblem}");
            }

            await Backoff(attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends one HTTP exchange under the concurrency gate and the per-call timeout, retrying transport
    /// failures (timeout, 5xx, refused connection, unparsable envelope) with backoff.
    /// </summary>
    private async Task<T> SendAsync<T>(string what, Func<CancellationToken, Task<T>> exchange, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            Failure failure;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(_options.Timeout);
                return await exchange(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new Failure(DiagnosticCodes.LanguageModelTimeout,
                    $"Ollama model '{_options.Model}' did not answer {what} within {_options.Timeout.TotalSeconds:0.###} s");
            }
            catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                throw ModelMissing($"the server answered 404 to {what}");
            }
            catch (HttpRequestException ex) when ((int?)ex.StatusCode >= 500)
            {
                failure = new Failure(DiagnosticCodes.OllamaServerError,
                    $"Ollama at {_options.Url} answered HTTP {(int)ex.StatusCode!} to {what} for model '{_options.Model}'");
            }
            catch (HttpRequestException ex) when (ex.StatusCode is null)
            {
                failure = new Failure(DiagnosticCodes.OllamaUnreachable,
                    $"cannot reach Ollama at {_options.Url} ({ex.Message}); start it with 'ollama serve' or point --ollama-url / {OllamaOptions.UrlEnvironmentVariable} at a running server");
            }
            catch (HttpRequestException ex)
            {
                throw new SynthioException(DiagnosticCodes.OllamaServerError,
                    $"Ollama at {_options.Url} refused {what} for model '{_options.Model}': HTTP {(int)ex.StatusCode!}", inner: ex);
            }
            catch (OllamaException ex) when (ex.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                throw ModelMissing(ex.Message);
            }
            catch (OllamaException ex)
            {
                throw new SynthioException(DiagnosticCodes.OllamaServerError,
                    $"Ollama at {_options.Url} rejected {what} for model '{_options.Model}': {ex.Message}", inner: ex);
            }
            catch (JsonException ex)
            {
                failure = new Failure(DiagnosticCodes.LanguageModelBadReply,
                    $"Ollama at {_options.Url} sent an unreadable answer to {what} for model '{_options.Model}': {ex.Message}");
            }
            catch (SocketException ex)
            {
                failure = new Failure(DiagnosticCodes.OllamaUnreachable,
                    $"cannot reach Ollama at {_options.Url} ({ex.Message}); start it with 'ollama serve' or point --ollama-url / {OllamaOptions.UrlEnvironmentVariable} at a running server");
            }
            finally
            {
                _gate.Release();
            }

            if (attempt >= _options.MaxRetries)
            {
                throw new SynthioException(failure.Code, $"{failure.Message} (gave up after {attempt + 1} attempts)");
            }

            await Backoff(attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task Backoff(int attempt, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromTicks(Math.Min(
            TimeSpan.FromSeconds(30).Ticks,
            _options.InitialBackoff.Ticks * (1L << Math.Min(attempt, 20))));
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, cancellationToken);
    }

    private SynthioException ModelMissing(string detail) =>
        new(DiagnosticCodes.OllamaModelMissing,
            $"Ollama model '{_options.Model}' is not available at {_options.Url} ({detail}); run `ollama pull {_options.Model}` on that server");

    private readonly record struct Failure(string Code, string Message);
}
