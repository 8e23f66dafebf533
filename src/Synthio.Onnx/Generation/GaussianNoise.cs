namespace Synthio.Onnx.Generation;

/// <summary>
/// Seeded standard-normal noise that is the same on every machine and .NET version: xoshiro256** seeded
/// through SplitMix64, Box–Muller for the normal draws. A clip's initial latent depends only on its seed, so a
/// clip generated in a batch equals the same clip generated alone.
/// </summary>
public sealed class GaussianNoise
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spare;

    public GaussianNoise(long seed)
    {
        var state = unchecked((ulong)seed);
        _s0 = SplitMix(ref state);
        _s1 = SplitMix(ref state);
        _s2 = SplitMix(ref state);
        _s3 = SplitMix(ref state);
    }

    /// <summary>Fills <paramref name="destination"/> with independent N(0, 1) draws.</summary>
    public void Fill(Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)Next();
        }
    }

    /// <summary>One N(0, 1) draw.</summary>
    public double Next()
    {
        if (_spare is double spare)
        {
            _spare = null;
            return spare;
        }

        // Uniform in (0, 1]: 53 random bits, never zero so the logarithm is finite.
        var u1 = ((NextBits() >> 11) + 1) * (1.0 / 9007199254740992.0);
        var u2 = (NextBits() >> 11) * (1.0 / 9007199254740992.0);
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var angle = 2.0 * Math.PI * u2;
        _spare = radius * Math.Sin(angle);
        return radius * Math.Cos(angle);
    }

    private ulong NextBits()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
