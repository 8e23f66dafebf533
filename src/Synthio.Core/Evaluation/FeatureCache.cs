using System.Collections.Concurrent;
using System.Security.Cryptography;
using Synthio.Audio;
using Synthio.Features;

namespace Synthio.Evaluation;

/// <summary>
/// Memoises feature vectors within a run, keyed by the SHA-256 of the file's bytes (so a copy of a clip
/// is computed once); a (path, size, modified time) table avoids rehashing a file seen before.
/// </summary>
public sealed class FeatureCache
{
    private readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), string> _hashes = new();
    private readonly ConcurrentDictionary<string, float[]> _features = new(StringComparer.Ordinal);
    private int _computed;

    public FeatureCache(IAudioEmbedder embedder)
    {
        Embedder = embedder;
    }

    public IAudioEmbedder Embedder { get; }

    /// <summary>How many vectors were computed (cache misses), for tests and logs.</summary>
    public int Computed => Volatile.Read(ref _computed);

    /// <summary>The features of the audio file at <paramref name="path"/>.</summary>
    public float[] ForFile(string path)
    {
        var info = new FileInfo(path);
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        if (_hashes.TryGetValue(key, out var knownHash) && _features.TryGetValue(knownHash, out var known))
        {
            return known;
        }

        var bytes = File.ReadAllBytes(info.FullName);
        var hash = Convert.ToHexString(SHA256.HashData(bytes));
        _hashes[key] = hash;
        return _features.GetOrAdd(hash, _ =>
        {
            Interlocked.Increment(ref _computed);
            return Embedder.Embed(AudioFile.DecodeMono(bytes, info.FullName));
        });
    }

    /// <summary>Features of many files, computed in parallel, in input order.</summary>
    public float[][] ForFiles(IReadOnlyList<string> paths, int parallelism, CancellationToken ct)
    {
        var result = new float[paths.Count][];
        Parallel.For(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct }, i => result[i] = ForFile(paths[i]));
        return result;
    }
}
