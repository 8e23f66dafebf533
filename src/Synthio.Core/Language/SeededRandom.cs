using System.Security.Cryptography;
using System.Text;

namespace Synthio.Language;

/// <summary>
/// A small deterministic generator (SplitMix64) whose sequence is fixed by this code, not by the runtime,
/// so the same seed gives the same captions on every machine and .NET version — cache keys rely on that.
/// </summary>
public sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(ulong seed) => _state = seed;

    /// <summary>A generator seeded from a user seed and any number of string/number parts (label, batch index …).</summary>
    public static SeededRandom For(int seed, params object[] parts) => new(Mix(seed, parts));

    /// <summary>Stable 64-bit hash of a seed and parts (SHA-256 based; never <see cref="string.GetHashCode()"/>, which varies per process).</summary>
    public static ulong Mix(int seed, params object[] parts)
    {
        var text = new StringBuilder().Append(seed);
        foreach (var part in parts)
        {
            text.Append('\u001f').Append(Convert.ToString(part, System.Globalization.CultureInfo.InvariantCulture));
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return BitConverter.ToUInt64(hash, 0);
    }

    public ulong NextUInt64() => Step(ref _state);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => ToUnitInterval(NextUInt64());

    /// <summary>One SplitMix64 step: advances <paramref name="state"/> and returns the next 64 random bits.</summary>
    internal static ulong Step(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The top 53 bits as a double uniform in [0, 1).</summary>
    internal static double ToUnitInterval(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        }

        return (int)(NextUInt64() % (ulong)maxExclusive);
    }

    /// <summary>One element of a non-empty list.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A shuffled copy (Fisher–Yates).</summary>
    public List<T> Shuffle<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }
}
