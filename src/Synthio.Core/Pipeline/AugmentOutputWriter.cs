using System.Collections.Concurrent;
using System.Text;
using Synthio.Caching;
using Synthio.Datasets;
using Synthio.Diagnostics;

namespace Synthio.Pipeline;

/// <summary>
/// Lays out an augmentation run's results: <c>&lt;label&gt;/&lt;name&gt;.wav</c> for accepted synthetic clips,
/// <c>manifest.json</c>, and <c>content.sha256</c> — a fingerprint of the training data rewritten only when
/// it changes, so downstream build steps rerun only when the data did (files are written to a temporary file,
/// renamed, and replaced only if different). Clips this writer made in an earlier run and no longer wants are removed;
/// nothing else in the folder is touched.
/// </summary>
public sealed class AugmentOutputWriter
{
    public const string ContentStampFileName = "content.sha256";

    /// <summary>The list of the dataset's files (<see cref="WriteDatasetFileList"/>).</summary>
    public const string DatasetFilesFileName = "dataset-files.txt";

    private readonly string _root;
    private readonly ContentAddressedStore? _store;
    private readonly IPipelineReporter _reporter;

    public AugmentOutputWriter(string root, ContentAddressedStore? store, IPipelineReporter reporter)
    {
        _root = root;
        _store = store;
        _reporter = reporter;
    }

    public async Task<IReadOnlyList<ManifestClip>> WriteClipsAsync(IReadOnlyList<ManifestClip> clips, ConcurrentDictionary<string, byte[]> fresh, CancellationToken ct)
    {
        Directory.CreateDirectory(_root);
        var previous = ReadPreviousSyntheticPaths();
        var wanted = new HashSet<string>(clips.Select(c => Normalize(c.Path)), StringComparer.Ordinal);
        foreach (var stale in previous.Where(p => !wanted.Contains(p)))
        {
            ContentAddressedStore.TryDelete(Path.Combine(_root, stale));
        }

        foreach (var clip in clips)
        {
            ct.ThrowIfCancellationRequested();
            var target = Path.Combine(_root, clip.Path);
            var bytes = await Task.Run(() => ResolveAudio(clip, fresh), ct).ConfigureAwait(false);
            WriteIfDifferent(target, bytes);
        }

        return clips;
    }

    /// <summary>
    /// Writes the full path of every file the dataset lists, one per line. The MSBuild targets watch these
    /// files for a CSV dataset, whose clips may lie anywhere: an edited clip makes the next build augment again.
    /// </summary>
    public void WriteDatasetFileList(Dataset dataset)
    {
        var lines = dataset.Clips.Select(c => Path.GetFullPath(c.Path)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        WriteIfDifferent(Path.Combine(_root, DatasetFilesFileName), Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
    }

    /// <summary>Writes the manifest and the content stamp; returns the manifest path and whether the data changed.</summary>
    public (string Path, bool Changed) WriteManifest(AugmentManifest manifest)
    {
        var manifestPath = Path.Combine(_root, AugmentManifest.FileName);
        WriteIfDifferent(manifestPath, Encoding.UTF8.GetBytes(manifest.ToJson()));
        var fingerprint = CanonicalJson.Serialize(new
        {
            labels = manifest.Labels,
            clips = manifest.Clips.Select(c => new { c.Path, c.Label, c.Origin, c.Split, c.Key }),
        });
        var changed = WriteIfDifferent(Path.Combine(_root, ContentStampFileName), Encoding.UTF8.GetBytes(StepKey.Sha256Hex(fingerprint) + "\n"));
        return (manifestPath, changed);
    }

    private byte[] ResolveAudio(ManifestClip clip, ConcurrentDictionary<string, byte[]> fresh)
    {
        var blob = clip.Blob ?? throw new InvalidOperationException($"synthetic clip {clip.Key} has no audio blob");
        if (fresh.TryGetValue(blob, out var bytes))
        {
            return bytes;
        }

        if (_store is not null && _store.TryGet(blob, out bytes))
        {
            return bytes;
        }

        throw new SynthioException(DiagnosticCodes.CorruptCacheEntry, $"the audio of synthetic clip {clip.Key} is missing from the cache; run again to regenerate it");
    }

    private HashSet<string> ReadPreviousSyntheticPaths()
    {
        var manifestPath = Path.Combine(_root, AugmentManifest.FileName);
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(manifestPath))
        {
            return result;
        }

        try
        {
            foreach (var clip in AugmentManifest.Load(manifestPath).Clips.Where(c => c.Origin != ClipOrigin.Gold))
            {
                var normalized = Normalize(clip.Path);
                // Only ever delete inside the output folder.
                if (!normalized.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(normalized))
                {
                    result.Add(normalized);
                }
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException or IOException)
        {
            _reporter.Info($"previous manifest '{manifestPath}' could not be read ({ex.Message}); stale clips from that run are left in place");
        }

        return result;
    }

    private static string Normalize(string relative) => relative.Replace('\\', '/');

    /// <summary>Replaces the target (via a temporary file and a rename) only if the bytes differ.</summary>
    public static bool WriteIfDifferent(string path, byte[] bytes)
    {
        if (File.Exists(path))
        {
            var info = new FileInfo(path);
            if (info.Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                return false;
            }
        }

        // Same write-then-rename as the cache, with the temporary file beside the target.
        ContentAddressedStore.WriteAtomically(path, bytes, Path.GetDirectoryName(path)!);
        return true;
    }
}
