using System.Security.Cryptography;
using Synthio.Diagnostics;

namespace Synthio.Caching;

/// <summary>
/// Blobs stored under <c>objects/&lt;sha256[0:2]&gt;/&lt;sha256&gt;</c>. Writes go to a temporary file in
/// the same volume and are renamed into place, so a reader never sees half a blob and concurrent
/// writers of the same content simply race to an identical file. Reads verify the hash; a mismatch is
/// reported once, the entry is dropped and the caller recomputes.
/// </summary>
public sealed class ContentAddressedStore
{
    private readonly IPipelineReporter _reporter;

    public ContentAddressedStore(string root, IPipelineReporter reporter)
    {
        Root = Path.GetFullPath(root);
        _reporter = reporter;
        try
        {
            Directory.CreateDirectory(ObjectsDirectory);
            Directory.CreateDirectory(TempDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SynthioException(DiagnosticCodes.CacheUnavailable, $"cannot use cache folder '{Root}': {ex.Message}", Root, ex);
        }
    }

    public string Root { get; }

    public string ObjectsDirectory => Path.Combine(Root, "objects");

    public string TempDirectory => Path.Combine(Root, "tmp");

    public string PathOf(string hash) => Path.Combine(ObjectsDirectory, hash[..2], hash);

    public bool Contains(string hash) => File.Exists(PathOf(hash));

    /// <summary>Stores the bytes and returns their SHA-256 (lowercase hex).</summary>
    public string Put(ReadOnlySpan<byte> bytes)
    {
        var hash = StepKey.Sha256Hex(bytes);
        var destination = PathOf(hash);
        if (File.Exists(destination))
        {
            Touch(destination);
            return hash;
        }

        WriteAtomically(destination, bytes, TempDirectory);
        return hash;
    }

    /// <summary>Reads and verifies a blob; a missing or corrupt blob yields false (corruption is reported and the blob removed).</summary>
    public bool TryGet(string hash, out byte[] bytes)
    {
        var path = PathOf(hash);
        bytes = Array.Empty<byte>();
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }

        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), hash, StringComparison.Ordinal))
        {
            _reporter.Report(Diagnostic.Warning(DiagnosticCodes.CorruptCacheEntry, $"cache entry {hash} is corrupt (its content does not match its hash); it was removed and will be recomputed", path));
            TryDelete(path);
            bytes = Array.Empty<byte>();
            return false;
        }

        Touch(path);
        return true;
    }

    /// <summary>Writes to a unique temporary file, flushes it, then renames it over the destination.</summary>
    internal static void WriteAtomically(string destination, ReadOnlySpan<byte> bytes, string tempDirectory)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        Directory.CreateDirectory(tempDirectory);
        var temp = Path.Combine(tempDirectory, $"{Path.GetFileName(destination)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, destination, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    // Last access time drives least-recently-used pruning.
    private static void Touch(string path)
    {
        try
        {
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
