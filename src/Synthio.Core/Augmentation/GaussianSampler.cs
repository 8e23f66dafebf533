using System.Buffers;
using System.Numerics.Tensors;

namespace Synthio.Augmentation;

/// <summary>Standard normal samples from a seeded <see cref="Random"/>, by the Box–Muller transform, vectorised.</summary>
public static class GaussianSampler
{
    /// <summary>Fills <paramref name="destination"/> with independent N(0, 1) samples; the same generator state gives the same samples.</summary>
    public static void Fill(Span<float> destination, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var pairs = (destination.Length + 1) / 2;
        if (pairs == 0)
        {
            return;
        }

        var rentedRadius = ArrayPool<float>.Shared.Rent(pairs);
        var rentedAngle = ArrayPool<float>.Shared.Rent(pairs);
        var radius = rentedRadius.AsSpan(0, pairs);
        var angle = rentedAngle.AsSpan(0, pairs);

        // The seeded System.Random is slow per draw; it only seeds a SplitMix64 stream, which is fast,
        // well mixed and just as reproducible.
        var state = unchecked((ulong)rng.NextInt64());
        for (var i = 0; i < pairs; i++)
        {
            // 24-bit uniforms; (k + 1)·2⁻²⁴ lies in (0, 1], so the logarithm below stays finite.
            radius[i] = ((NextSplitMix(ref state) >> 40) + 1) * (1f / 16777216f);
            angle[i] = (NextSplitMix(ref state) >> 40) * (2f / 16777216f);
        }

        // radius = √(−2 ln u1); the pair is radius·(cos 2πu2, sin 2πu2).
        TensorPrimitives.Log(radius, radius);
        TensorPrimitives.Multiply(radius, -2f, radius);
        TensorPrimitives.Max(radius, 0f, radius);
        TensorPrimitives.Sqrt(radius, radius);
        var cos = destination[..pairs];
        TensorPrimitives.CosPi(angle, cos);
        TensorPrimitives.Multiply(cos, radius, cos);
        var rest = destination[pairs..];
        TensorPrimitives.SinPi(angle[..rest.Length], rest);
        TensorPrimitives.Multiply(rest, radius[..rest.Length], rest);
        ArrayPool<float>.Shared.Return(rentedRadius);
        ArrayPool<float>.Shared.Return(rentedAngle);
    }

    private static ulong NextSplitMix(ref ulong state)
    {
        unchecked
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
