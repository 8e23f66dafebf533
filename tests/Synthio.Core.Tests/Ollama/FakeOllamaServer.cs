using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synthio.Core.Tests.Ollama;

/// <summary>One scripted answer to a generation request.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Body">The HTTP body as sent.</param>
/// <param name="Delay">Wait before answering (to exceed the client's timeout).</param>
public sealed record ScriptedReply(int Status, string Body, TimeSpan Delay)
{
    /// <summary>A successful non-streamed /api/generate answer whose "response" is <paramref name="modelText"/>.</summary>
    public static ScriptedReply Generated(string modelText, string model = "tiny:latest", TimeSpan? delay = null)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["created_at"] = "2025-01-01T00:00:00Z",
            ["response"] = modelText,
            ["done"] = true,
            ["done_reason"] = "stop",
            ["context"] = new JsonArray(1, 2, 3),
            ["total_duration"] = 1000,
            ["load_duration"] = 10,
            ["prompt_eval_count"] = 5,
            ["prompt_eval_duration"] = 10,
            ["eval_count"] = 7,
            ["eval_duration"] = 10,
        };
        return new ScriptedReply(200, body.ToJsonString(), delay ?? TimeSpan.Zero);
    }

    /// <summary>An error answer with Ollama's <c>{"error": …}</c> body.</summary>
    public static ScriptedReply Error(int status, string message) =>
        new(status, new JsonObject { ["error"] = message }.ToJsonString(), TimeSpan.Zero);
}

/// <summary>A request the server received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Body)
{
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);
}

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking the part of the Ollama API that Synthio uses (/api/version,
/// /api/tags, /api/show, /api/generate, /api/chat), with generation answers scripted by the test.
/// </summary>
public sealed class FakeOllamaServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<ScriptedReply> _script = new();
    private readonly List<RecordedRequest> _requests = new();
    private readonly object _gate = new();
    private readonly Task _loop;
    private int _inFlight;
    private int _disposed;
    private int _maxInFlight;

    public FakeOllamaServer(params (string Name, string Digest)[] models)
    {
        Models = models.Length > 0 ? models.ToList() : [("tiny:latest", "sha256:" + new string('a', 64))];
        (_listener, Url) = Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Url { get; }

    public string Version { get; set; } = "0.12.3";

    /// <summary>Pulled models as /api/tags reports them; tests change a digest to simulate a new pull.</summary>
    public List<(string Name, string Digest)> Models { get; }

    /// <summary>Answer for a generation request when the script is empty; by default a 500.</summary>
    public Func<RecordedRequest, ScriptedReply> Fallback { get; set; } = _ => ScriptedReply.Error(500, "no scripted reply left");

    /// <summary>Most generation requests that were being answered at the same time.</summary>
    public int MaxConcurrentGenerations => Volatile.Read(ref _maxInFlight);

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_gate) { return _requests.ToArray(); } }
    }

    /// <summary>Requests to /api/generate and /api/chat: the ones that cost model time.</summary>
    public int GenerationRequests => Requests.Count(r => r.Path is "/api/generate" or "/api/chat");

    public void Enqueue(params ScriptedReply[] replies)
    {
        foreach (var r in replies)
        {
            _script.Enqueue(r);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private static (HttpListener Listener, Uri Url) Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var prefix = $"http://127.0.0.1:{port}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(prefix);
            try
            {
                listener.Start();
                return (listener, new Uri(prefix));
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync().ConfigureAwait(false);
            }

            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, body);
            lock (_gate)
            {
                _requests.Add(request);
            }

            var reply = request.Path switch
            {
                "/api/version" => new ScriptedReply(200, new JsonObject { ["version"] = Version }.ToJsonString(), TimeSpan.Zero),
                "/api/tags" => new ScriptedReply(200, TagsJson(), TimeSpan.Zero),
                "/api/show" => Show(request),
                "/api/generate" or "/api/chat" => await GenerateAsync(request).ConfigureAwait(false),
                "/" => new ScriptedReply(200, "Ollama is running", TimeSpan.Zero),
                _ => ScriptedReply.Error(404, "not found"),
            };

            await WriteAsync(context, reply).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client gave up (timeout test) or the server is stopping.
        }
    }

    private async Task<ScriptedReply> GenerateAsync(RecordedRequest request)
    {
        var model = request.Json?["model"]?.GetValue<string>() ?? string.Empty;
        if (!HasModel(model))
        {
            return ScriptedReply.Error(404, $"model \"{model}\" not found, try pulling it first");
        }

        var inFlight = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref _maxInFlight)) < inFlight && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
        {
        }

        try
        {
            var reply = _script.TryDequeue(out var scripted) ? scripted : Fallback(request);
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, _stopping.Token).ConfigureAwait(false);
            }

            return reply;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private bool HasModel(string model)
    {
        static string Normalize(string n) => n.Contains(':', StringComparison.Ordinal) ? n : n + ":latest";
        lock (_gate)
        {
            return Models.Any(m => Normalize(m.Name) == Normalize(model));
        }
    }

    private string TagsJson()
    {
        var models = new JsonArray();
        lock (_gate)
        {
            foreach (var (name, digest) in Models)
            {
                models.Add(new JsonObject
                {
                    ["name"] = name,
                    ["model"] = name,
                    ["modified_at"] = "2025-01-01T00:00:00Z",
                    ["size"] = 1234567,
                    ["digest"] = digest,
                    ["details"] = new JsonObject
                    {
                        ["parent_model"] = "",
                        ["format"] = "gguf",
                        ["family"] = "llama",
                        ["families"] = new JsonArray("llama"),
                        ["parameter_size"] = "1B",
                        ["quantization_level"] = "Q4_K_M",
                    },
                });
            }
        }

        return new JsonObject { ["models"] = models }.ToJsonString();
    }

    private ScriptedReply Show(RecordedRequest request)
    {
        var model = request.Json?["model"]?.GetValue<string>() ?? request.Json?["name"]?.GetValue<string>() ?? string.Empty;
        if (!HasModel(model))
        {
            return ScriptedReply.Error(404, $"model '{model}' not found");
        }

        var body = new JsonObject
        {
            ["modelfile"] = "FROM tiny",
            ["parameters"] = "",
            ["template"] = "{{ .Prompt }}",
            ["details"] = new JsonObject { ["format"] = "gguf", ["family"] = "llama", ["parameter_size"] = "1B", ["quantization_level"] = "Q4_K_M" },
            ["modified_at"] = "2025-01-01T00:00:00Z",
        };
        return new ScriptedReply(200, body.ToJsonString(), TimeSpan.Zero);
    }

    private static async Task WriteAsync(HttpListenerContext context, ScriptedReply reply)
    {
        var bytes = Encoding.UTF8.GetBytes(reply.Body);
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = reply.Body.StartsWith('{') ? "application/json; charset=utf-8" : "text/plain; charset=utf-8";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        context.Response.Close();
    }

    /// <summary>Convenience: the JSON text a model would put in "response".</summary>
    public static string Json(object value) => JsonSerializer.Serialize(value);
}
