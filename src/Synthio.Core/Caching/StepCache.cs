using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Synthio.Diagnostics;

namespace Synthio.Caching;

/// <summary>
/// The run-cache of pipeline steps (DVC style): a result is stored under the key of its step's canonical
/// description and reused whenever the same description comes again — in this run (memory layer),
/// in a later run or in another project sharing the folder (disk layer). Concurrent processes that need
/// the same result take a claim file so only one computes it; a claim left by a dead process is taken over.
/// </summary>
public sealed class StepCache : IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,

        // A result may hold a NaN or infinite figure (a trial's fold score); JSON has no number for them.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly IPipelineReporter _reporter;
    private readonly MemoryCache _memory = new(new MemoryCacheOptions());
    private readonly ConcurrentDictionary<string, StepCounter> _counters = new(StringComparer.Ordinal);

    /// <summary>A cache backed by <paramref name="store"/>; null keeps results for this run only (--no-cache).</summary>
    public StepCache(ContentAddressedStore? store, IPipelineReporter reporter)
    {
        Store = store;
        _reporter = reporter;
    }

    /// <summary>
    /// How long another process's claim may go without its owner refreshing it before it is considered abandoned.
    /// An owner refreshes its claim every quarter of this while it computes, so a step may take longer than this.
    /// </summary>
    public TimeSpan StaleClaimAge { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a claim may stay without its owner line before it is considered abandoned.</summary>
    public TimeSpan OwnerlessClaimAge { get; init; } = TimeSpan.FromSeconds(5);

    public ContentAddressedStore? Store { get; }

    /// <summary>Per step name: how many results were computed and how many were reused in this run.</summary>
    public IReadOnlyDictionary<string, StepCounter> Counters => _counters;

    public int TotalComputed => _counters.Values.Sum(c => c.Computed);

    public int TotalReused => _counters.Values.Sum(c => c.Reused);

    public static string RecordsDirectoryOf(string root) => Path.Combine(root, "steps");

    /// <summary>
    /// Returns the cached result of <paramref name="step"/> for <paramref name="description"/>, or computes,
    /// stores and returns it. <paramref name="isUsable"/> lets a caller reject a record whose blobs are gone.
    /// </summary>
    public async Task<T> GetOrComputeAsync<T>(
        string step,
        object description,
        Func<CancellationToken, Task<T>> compute,
        CancellationToken cancellationToken = default,
        Func<T, bool>? isUsable = null)
    {
        var key = StepKey.Compute(step, description);
        var lazy = _memory.GetOrCreate(key, entry => new Lazy<Task<object?>>(
            async () => await LoadOrComputeAsync(step, key, compute, isUsable, cancellationToken).ConfigureAwait(false),
            LazyThreadSafetyMode.ExecutionAndPublication))!;
        try
        {
            return (T)(await lazy.Value.ConfigureAwait(false))!;
        }
        catch
        {
            // A failed computation must not stay memoised: the next call tries again.
            _memory.Remove(key);
            throw;
        }
    }

    /// <summary>The key a step description maps to (what the manifest records as a clip's <c>key</c>).</summary>
    public static string KeyOf(string step, object description) => StepKey.Compute(step, description);

    private async Task<object?> LoadOrComputeAsync<T>(string step, string key, Func<CancellationToken, Task<T>> compute, Func<T, bool>? isUsable, CancellationToken ct)
    {
        var counter = _counters.GetOrAdd(step, _ => new StepCounter());
        if (Store is null)
        {
            var fresh = await compute(ct).ConfigureAwait(false);
            counter.AddComputed();
            return fresh;
        }

        if (TryRead<T>(key, isUsable, out var cached))
        {
            counter.AddReused();
            return cached;
        }

        using (var claim = await ClaimAsync(key, ct).ConfigureAwait(false))
        {
            // Another process may have finished the work between our first look and our claim.
            if (TryRead(key, isUsable, out cached))
            {
                counter.AddReused();
                return cached;
            }

            var result = await compute(ct).ConfigureAwait(false);
            Write(step, key, result);
            counter.AddComputed();
            return result;
        }
    }

    private string RecordPath(string key) => Path.Combine(RecordsDirectoryOf(Store!.Root), key[..2], key + ".json");

    private string ClaimPath(string key) => Path.Combine(Store!.Root, "claims", key + ".claim");

    private bool TryRead<T>(string key, Func<T, bool>? isUsable, out T value)
    {
        value = default!;
        var path = RecordPath(key);
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }

        try
        {
            var record = JsonNode.Parse(text)!.AsObject();
            var result = record["result"];
            var expected = record["resultHash"]!.GetValue<string>();
            if (!string.Equals(StepKey.Sha256Hex(CanonicalJson.Serialize(result)), expected, StringComparison.Ordinal))
            {
                throw new JsonException("result hash mismatch");
            }

            value = result.Deserialize<T>(JsonOptions)!;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            _reporter.Report(Diagnostic.Warning(DiagnosticCodes.CorruptCacheEntry, $"cache record {key} is corrupt ({ex.Message}); it was removed and will be recomputed", path));
            ContentAddressedStore.TryDelete(path);
            return false;
        }

        if (isUsable is not null && !isUsable(value))
        {
            return false;
        }

        return true;
    }

    private void Write<T>(string step, string key, T result)
    {
        var resultNode = JsonSerializer.SerializeToNode(result, JsonOptions);
        var record = new JsonObject
        {
            ["step"] = step,
            ["key"] = key,
            ["createdUtc"] = DateTime.UtcNow.ToString("O"),
            ["resultHash"] = StepKey.Sha256Hex(CanonicalJson.Serialize(resultNode)),
            ["result"] = resultNode,
        };
        ContentAddressedStore.WriteAtomically(RecordPath(key), Encoding.UTF8.GetBytes(record.ToJsonString()), Store!.TempDirectory);
    }

    private async Task<Claim> ClaimAsync(string key, CancellationToken ct)
    {
        var path = ClaimPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var delay = 20;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 256, FileOptions.DeleteOnClose);
                var owner = Encoding.UTF8.GetBytes($"{Environment.ProcessId} {Environment.MachineName} {DateTime.UtcNow:O}");
                stream.Write(owner);
                stream.Flush();
                return new Claim(stream, StaleClaimAge / 4);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (ClaimIsStale(path))
                {
                    ContentAddressedStore.TryDelete(path);
                    continue;
                }

                if (File.Exists(RecordPath(key)))
                {
                    return new Claim(null, Timeout.InfiniteTimeSpan);
                }

                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 500);
            }
            catch (IOException)
            {
                // The claim vanished between our attempt and the check: try again.
            }
        }
    }

    // A claim is stale when its process is gone (same machine) or its owner has not refreshed it for
    // StaleClaimAge (any machine: a cache shared over a network file system; or a process id reused here).
    private bool ClaimIsStale(string path)
    {
        try
        {
            var parts = File.ReadAllText(path).Split(' ');
            var age = DateTime.UtcNow - File.GetLastWriteTimeUtc(path);
            if (parts.Length < 2 || !int.TryParse(parts[0], out var pid))
            {
                // An owner writes its line right after creating the claim: one without it for a while was
                // left by a process killed in between.
                return age > OwnerlessClaimAge;
            }

            if (parts[1] == Environment.MachineName)
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    if (process.HasExited)
                    {
                        return true;
                    }
                }
                catch (ArgumentException)
                {
                    return true;
                }
            }

            return age > StaleClaimAge;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose() => _memory.Dispose();

    /// <summary>A claim file held open (deleted on close) and refreshed while its owner computes.</summary>
    private sealed class Claim : IDisposable
    {
        private readonly FileStream? _stream;
        private readonly Timer? _refresh;
        private readonly object _gate = new();
        private bool _disposed;

        public Claim(FileStream? stream, TimeSpan refreshEvery)
        {
            _stream = stream;
            if (stream is not null)
            {
                _refresh = new Timer(_ => Refresh(), null, refreshEvery, refreshEvery);
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _refresh?.Dispose();
                _stream?.Dispose();
            }
        }

        // Through the open handle: the claim's own file, even if a waiter has just removed it as stale.
        private void Refresh()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                try
                {
                    File.SetLastWriteTimeUtc(_stream!.SafeFileHandle, DateTime.UtcNow);
                }
                catch (IOException)
                {
                    // The next tick tries again; a waiter sees the last refresh until then.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }
}

/// <summary>Thread-safe computed/reused counts of one step.</summary>
public sealed class StepCounter
{
    private int _computed;
    private int _reused;

    public int Computed => _computed;

    public int Reused => _reused;

    internal void AddComputed() => Interlocked.Increment(ref _computed);

    internal void AddReused() => Interlocked.Increment(ref _reused);
}
