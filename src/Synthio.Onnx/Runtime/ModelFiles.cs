using System.Collections.Concurrent;
using System.Security.Cryptography;
using Synthio.Diagnostics;

namespace Synthio.Onnx.Runtime;

/// <summary>Finds the files of a model folder and fingerprints them for backend identities (cache keys).</summary>
internal static class ModelFiles
{
    // (path, size, mtime) → hash: a run that opens the same multi-GB model twice hashes it once.
    private static readonly ConcurrentDictionary<(string, long, DateTime), string> Hashes = new();

    /// <summary>The full path of <paramref name="relative"/> under <paramref name="folder"/>, which must exist.</summary>
    /// <exception cref="SynthioException">SYN3002 naming the missing file.</exception>
    public static string Require(string folder, string relative, string what)
    {
        var path = Path.GetFullPath(Path.Combine(folder, relative));
        if (!File.Exists(path))
        {
            throw new SynthioException(
                DiagnosticCodes.ModelBundleInvalid,
                $"The {what} file '{relative}' is missing from model folder {folder}.",
                path);
        }

        return path;
    }

    /// <summary>The folder itself, which must exist.</summary>
    public static string RequireFolder(string folder, string what)
    {
        if (string.IsNullOrWhiteSpace(folder) || !Directory.Exists(folder))
        {
            throw new SynthioException(DiagnosticCodes.ModelBundleInvalid, $"The {what} folder '{folder}' does not exist.", folder);
        }

        return Path.GetFullPath(folder);
    }

    /// <summary>
    /// SHA-256 (lower-case hex) of a model file together with its ONNX external-data companions
    /// (<c>name.onnx_data</c>, <c>name.onnx.data</c>), which hold the weights of large exports.
    /// </summary>
    public static string Sha256(string path)
    {
        var parts = new List<string> { HashOne(path) };
        foreach (var companion in new[] { path + "_data", path + ".data", Path.ChangeExtension(path, ".onnx_data") })
        {
            if (File.Exists(companion) && !string.Equals(companion, path, StringComparison.Ordinal))
            {
                parts.Add(HashOne(companion));
            }
        }

        if (parts.Count == 1)
        {
            return parts[0];
        }

        var combined = SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Join("+", parts.Distinct())));
        return Convert.ToHexStringLower(combined);
    }

    private static string HashOne(string path)
    {
        var info = new FileInfo(path);
        return Hashes.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc), _ =>
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }
}
