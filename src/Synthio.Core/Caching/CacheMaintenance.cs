using System.Security.Cryptography;
using System.Text.Json;

namespace Synthio.Caching;

/// <summary>Size and contents of a cache folder.</summary>
public sealed record CacheStatus(string Root, int Blobs, long BlobBytes, int StepRecords, long RecordBytes, LastRunStats? LastRun)
{
    public long TotalBytes => BlobBytes + RecordBytes;
}

/// <summary>Hit rate of the most recent run that used the cache.</summary>
public sealed record LastRunStats(DateTime FinishedUtc, string Command, int Computed, int Reused)
{
    public double HitRate => Computed + Reused == 0 ? 0 : (double)Reused / (Computed + Reused);
}

/// <summary>What <c>cache verify</c> found (and, with repair, the abandoned temporary files it removed).</summary>
public sealed record CacheVerification(int Checked, IReadOnlyList<string> CorruptBlobs, IReadOnlyList<string> CorruptRecords, int RemovedTemporaryFiles = 0);

/// <summary>What <c>cache prune</c> removed: least recently used entries, and temporary files of runs that died.</summary>
public sealed record PruneResult(int RemovedBlobs, int RemovedRecords, long FreedBytes, long RemainingBytes, int RemovedTemporaryFiles = 0);

/// <summary><c>dotnet synthio cache status|verify|prune</c>: inspection and upkeep of a cache folder.</summary>
public static class CacheMaintenance
{
    private const string LastRunFile = "last-run.json";

    public static CacheStatus Status(string root)
    {
        var (blobs, blobBytes) = Tally(Path.Combine(root, "objects"));
        var (records, recordBytes) = Tally(StepCache.RecordsDirectoryOf(root));
        LastRunStats? last = null;
        var lastPath = Path.Combine(root, LastRunFile);
        if (File.Exists(lastPath))
        {
            try
            {
                last = JsonSerializer.Deserialize<LastRunStats>(File.ReadAllText(lastPath));
            }
            catch (JsonException)
            {
            }
        }

        return new CacheStatus(root, blobs, blobBytes, records, recordBytes, last);
    }

    /// <summary>Records the hit rate of a finished run for <c>cache status</c>.</summary>
    public static void RecordRun(string root, string command, StepCache cache)
    {
        var stats = new LastRunStats(DateTime.UtcNow, command, cache.TotalComputed, cache.TotalReused);
        try
        {
            ContentAddressedStore.WriteAtomically(Path.Combine(root, LastRunFile), JsonSerializer.SerializeToUtf8Bytes(stats), Path.Combine(root, "tmp"));
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Rehashes every blob and checks every step record; <paramref name="repair"/> removes what is corrupt.</summary>
    public static CacheVerification Verify(string root, bool repair, IProgress<(int Done, int Total)>? progress = null)
    {
        var blobFiles = Files(Path.Combine(root, "objects"));
        var recordFiles = Files(StepCache.RecordsDirectoryOf(root));
        var total = blobFiles.Count + recordFiles.Count;
        var corruptBlobs = new List<string>();
        var corruptRecords = new List<string>();
        var done = 0;
        foreach (var file in blobFiles)
        {
            using (var stream = File.OpenRead(file))
            {
                var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
                if (!string.Equals(actual, Path.GetFileName(file), StringComparison.Ordinal))
                {
                    corruptBlobs.Add(file);
                }
            }

            progress?.Report((++done, total));
        }

        foreach (var file in recordFiles)
        {
            if (!RecordIsIntact(file))
            {
                corruptRecords.Add(file);
            }

            progress?.Report((++done, total));
        }

        var removedTemporary = 0;
        if (repair)
        {
            foreach (var file in corruptBlobs.Concat(corruptRecords))
            {
                ContentAddressedStore.TryDelete(file);
            }

            removedTemporary = RemoveAbandonedTemporaryFiles(root, DateTime.UtcNow).Count;
        }

        return new CacheVerification(total, corruptBlobs, corruptRecords, removedTemporary);
    }

    /// <summary>
    /// Deletes temporary files left in <c>tmp/</c> by runs that were killed between writing and renaming:
    /// a file is abandoned when the process its name records is gone, or when it is over an hour old (a
    /// recycled process id must not keep it forever). Files of live runs are left alone.
    /// </summary>
    public static (int Count, long Bytes) RemoveAbandonedTemporaryFiles(string root, DateTime nowUtc)
    {
        var count = 0;
        long bytes = 0;
        foreach (var file in Files(Path.Combine(root, "tmp")))
        {
            var info = new FileInfo(file);
            var owner = OwnerOf(info.Name);
            var abandoned = nowUtc - info.LastWriteTimeUtc > TimeSpan.FromHours(1) || owner is null || !IsRunning(owner.Value);
            if (abandoned && info.Exists)
            {
                var length = info.Length;
                ContentAddressedStore.TryDelete(file);
                if (!File.Exists(file))
                {
                    count++;
                    bytes += length;
                }
            }
        }

        return (count, bytes);
    }

    // Temporary names are <target>.<pid>.<guid>.tmp (see ContentAddressedStore.WriteAtomically).
    private static int? OwnerOf(string name)
    {
        var parts = name.Split('.');
        return parts.Length >= 4 && parts[^1] == "tmp" && int.TryParse(parts[^3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Evicts least recently used entries until the cache is at most <paramref name="maxBytes"/>.</summary>
    public static PruneResult Prune(string root, long maxBytes)
    {
        var (temporary, temporaryBytes) = RemoveAbandonedTemporaryFiles(root, DateTime.UtcNow);
        var entries = Files(Path.Combine(root, "objects")).Concat(Files(StepCache.RecordsDirectoryOf(root)))
            .Select(f => new FileInfo(f))
            .OrderBy(f => Max(f.LastAccessTimeUtc, f.LastWriteTimeUtc))
            .ToList();
        var total = entries.Sum(f => f.Length);
        int blobs = 0, records = 0;
        long freed = 0;
        foreach (var entry in entries)
        {
            if (total <= maxBytes)
            {
                break;
            }

            var length = entry.Length;
            var isRecord = entry.Extension == ".json";
            ContentAddressedStore.TryDelete(entry.FullName);
            total -= length;
            freed += length;
            if (isRecord)
            {
                records++;
            }
            else
            {
                blobs++;
            }
        }

        // A record whose blob was evicted is detected on use (its blob is missing) and recomputed.
        return new PruneResult(blobs, records, freed + temporaryBytes, total, temporary);
    }

    /// <summary>Parses sizes such as <c>10GB</c>, <c>512MiB</c> or a plain byte count.</summary>
    public static long ParseSize(string text)
    {
        var trimmed = text.Trim();
        var split = trimmed.Length;
        while (split > 0 && char.IsLetter(trimmed[split - 1]))
        {
            split--;
        }

        var number = double.Parse(trimmed[..split], System.Globalization.CultureInfo.InvariantCulture);
        var unit = trimmed[split..].ToUpperInvariant();
        var factor = unit switch
        {
            "" or "B" => 1L,
            "K" or "KB" => 1000L,
            "KIB" => 1024L,
            "M" or "MB" => 1000L * 1000,
            "MIB" => 1024L * 1024,
            "G" or "GB" => 1000L * 1000 * 1000,
            "GIB" => 1024L * 1024 * 1024,
            "T" or "TB" => 1000L * 1000 * 1000 * 1000,
            "TIB" => 1024L * 1024 * 1024 * 1024,
            _ => throw new FormatException($"unknown size unit '{unit}' (use B, KB, MB, GB, TB or KiB, MiB, GiB, TiB)"),
        };
        return (long)(number * factor);
    }

    private static bool RecordIsIntact(string file)
    {
        try
        {
            var record = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var expected = record["resultHash"]!.GetValue<string>();
            return string.Equals(StepKey.Sha256Hex(CanonicalJson.Serialize(record["result"])), expected, StringComparison.Ordinal)
                && string.Equals(record["key"]!.GetValue<string>() + ".json", Path.GetFileName(file), StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException)
        {
            return false;
        }
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static List<string> Files(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : new List<string>();

    private static (int Count, long Bytes) Tally(string directory)
    {
        var files = Files(directory);
        return (files.Count, files.Sum(f => new FileInfo(f).Length));
    }
}
