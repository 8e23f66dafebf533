using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Synthio.Caching;

/// <summary>
/// Remembers (path, size, mtime) → SHA-256 so unchanged files are not rehashed on every build. Entries
/// live in the cache folder (one small file per path, written atomically) and in memory for the run.
/// </summary>
public sealed class FileHashIndex
{
    private readonly string? _directory;
    private readonly string? _tempDirectory;
    private readonly ConcurrentDictionary<string, string> _memory = new(StringComparer.Ordinal);

    public FileHashIndex(ContentAddressedStore? store)
    {
        if (store is not null)
        {
            _directory = Path.Combine(store.Root, "file-hashes");
            _tempDirectory = store.TempDirectory;
        }
    }

    public string HashOf(string path)
    {
        var info = new FileInfo(path);
        var stamp = $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        if (_memory.TryGetValue(stamp, out var known))
        {
            return known;
        }

        var entryPath = _directory is null ? null : Path.Combine(_directory, StepKey.Sha256Hex(info.FullName) + ".txt");
        if (entryPath is not null)
        {
            try
            {
                var lines = File.ReadAllText(entryPath, Encoding.UTF8).Split('\n');
                if (lines.Length >= 2 && lines[0] == stamp && lines[1].Length == 64)
                {
                    _memory[stamp] = lines[1];
                    return lines[1];
                }
            }
            catch (IOException)
            {
            }
        }

        string hash;
        using (var stream = File.OpenRead(path))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        _memory[stamp] = hash;
        if (entryPath is not null)
        {
            try
            {
                ContentAddressedStore.WriteAtomically(entryPath, Encoding.UTF8.GetBytes($"{stamp}\n{hash}"), _tempDirectory!);
            }
            catch (IOException)
            {
                // The index is an optimisation: failing to record an entry only costs a rehash next time.
            }
        }

        return hash;
    }
}
