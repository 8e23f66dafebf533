using System.Security.Cryptography;
using System.Text;

namespace Synthio.Caching;

/// <summary>
/// The identity of one step result: SHA-256 of the canonical JSON of the step's name and everything it
/// depends on (input hashes, parameters, prompt text, backend identity). Change any of them and the key changes.
/// </summary>
public static class StepKey
{
    public static string Compute(string step, object description) =>
        Sha256Hex(CanonicalJson.Serialize(new { step, description }));

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
