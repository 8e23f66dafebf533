using System.Security.Cryptography;
using System.Text;

namespace Synthio.Generation;

/// <summary>
/// A small SplitMix64 generator. Generation must be reproducible across runtimes and machines, so the
/// engine does not rely on <see cref="Random"/>'s unspecified algorithm.
/// </summary>
internal struct SplitMixRandom
{
    private ulong _state;

    public SplitMixRandom(ulong seed)
    {
        _state = seed;
    }

    /// <summary>A seed derived from text parts (label, caption, seed, parameters) through SHA-256.</summary>
    public static SplitMixRandom FromParts(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return new SplitMixRandom(BitConverter.ToUInt64(hash, 0));
    }

    // The same SplitMix64 sequence as the language stage's generator; a struct here so forks copy cheaply.
    public ulong NextUInt64() => Language.SeededRandom.Step(ref _state);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => Language.SeededRandom.ToUnitInterval(NextUInt64());

    /// <summary>Uniform in [min, max).</summary>
    public double Range(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform integer in [0, count).</summary>
    public int Next(int count) => count <= 1 ? 0 : (int)(NextUInt64() % (ulong)count);

    /// <summary>Uniform integer in [min, max] inclusive.</summary>
    public int NextInclusive(int min, int max) => max <= min ? min : min + Next(max - min + 1);

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Uniform in [-1, 1), used for noise.</summary>
    public float NextSigned() => (float)((NextDouble() * 2.0) - 1.0);

    /// <summary>A child generator, so that one decision stream does not shift another.</summary>
    public SplitMixRandom Fork() => new(NextUInt64() ^ 0xD1B54A32D192ED03UL);
}
