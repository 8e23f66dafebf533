using System.Buffers;
using System.Numerics.Tensors;
using Synthio.Audio;

namespace Synthio.Augmentation;

/// <summary>
/// Time-scale modification by WSOLA (waveform-similarity overlap-add): Hann frames of about 40 ms are
/// overlap-added at a fixed synthesis hop while the analysis position advances by hop·rate; each frame is
/// moved within a small tolerance to the position that best continues the previous frame's waveform, so
/// periodic sounds keep their period (and hence their pitch).
/// </summary>
internal static class WsolaTimeStretcher
{
    /// <summary>Returns ⌊input/rate⌉ samples: rate &gt; 1 is faster/shorter, rate &lt; 1 slower/longer.</summary>
    public static float[] Stretch(ReadOnlySpan<float> input, int sampleRate, double rate)
    {
        if (!(rate > 0) || double.IsInfinity(rate))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "Rate must be positive and finite.");
        }

        var outputLength = (int)Math.Round(input.Length / rate);
        if (input.Length == 0 || outputLength == 0)
        {
            return new float[outputLength];
        }

        var frame = Math.Max(64, (int)(sampleRate * 0.04) & ~1);
        var hop = frame / 2;
        var tolerance = hop / 2;

        // Pad so that every frame, shifted by up to the tolerance, reads valid samples.
        var pad = frame + tolerance + 1;
        var paddedLength = input.Length + (2 * pad) + frame + (int)Math.Ceiling(hop * rate) + 2;
        var rentedPadded = ArrayPool<float>.Shared.Rent(paddedLength);
        var padded = rentedPadded.AsSpan(0, paddedLength);
        padded.Clear();
        input.CopyTo(padded[pad..]);

        var window = HannWindow.Periodic(frame);

        // Output frame k covers output samples k·hop − frame/2 …; accumulate with an offset of frame.
        var frames = (outputLength / hop) + 2;
        var accumulatedLength = (frames * hop) + (2 * frame);
        var rentedAccumulated = ArrayPool<float>.Shared.Rent(accumulatedLength);
        var rentedWeight = ArrayPool<float>.Shared.Rent(accumulatedLength);
        var accumulated = rentedAccumulated.AsSpan(0, accumulatedLength);
        var weight = rentedWeight.AsSpan(0, accumulatedLength);
        accumulated.Clear();
        weight.Clear();
        var windowed = new float[frame];
        var previousStart = -1;
        for (var k = 0; k < frames; k++)
        {
            // Nominal analysis start (in padded coordinates) for a frame centred on input time k·hop·rate.
            var nominal = pad + (int)Math.Round(k * hop * rate) - (frame / 2);
            var start = nominal;
            if (previousStart >= 0)
            {
                var natural = previousStart + hop;
                start = BestMatch(padded, natural, nominal, tolerance, hop);
            }

            start = Math.Clamp(start, 0, padded.Length - frame);
            TensorPrimitives.Multiply(padded.Slice(start, frame), window, windowed);
            var outputStart = (k * hop) - (frame / 2) + frame;
            var target = accumulated.Slice(outputStart, frame);
            TensorPrimitives.Add(target, windowed, target);
            var weights = weight.Slice(outputStart, frame);
            TensorPrimitives.Add(weights, window, weights);
            previousStart = start;
        }

        var output = new float[outputLength];
        for (var i = 0; i < outputLength; i++)
        {
            var w = weight[i + frame];
            output[i] = w > 1e-3f ? accumulated[i + frame] / w : accumulated[i + frame];
        }

        ArrayPool<float>.Shared.Return(rentedPadded);
        ArrayPool<float>.Shared.Return(rentedAccumulated);
        ArrayPool<float>.Shared.Return(rentedWeight);
        return output;
    }

    // Position within nominal ± tolerance whose first half-frame best correlates with the natural continuation.
    private static int BestMatch(ReadOnlySpan<float> signal, int natural, int nominal, int tolerance, int length)
    {
        if (natural < 0 || natural + length > signal.Length)
        {
            return nominal;
        }

        var reference = signal.Slice(natural, length);
        var low = Math.Max(0, nominal - tolerance);
        var high = Math.Min(signal.Length - length, nominal + tolerance);
        if (high < low)
        {
            return nominal;
        }

        // Coarse search on every second lag, then refine around the winner.
        var best = nominal >= low && nominal <= high ? nominal : low;
        var bestScore = float.NegativeInfinity;
        for (var p = low; p <= high; p += 2)
        {
            var score = TensorPrimitives.Dot(signal.Slice(p, length), reference);
            if (score > bestScore)
            {
                bestScore = score;
                best = p;
            }
        }

        var coarse = best;
        for (var p = Math.Max(low, coarse - 1); p <= Math.Min(high, coarse + 1); p++)
        {
            var score = TensorPrimitives.Dot(signal.Slice(p, length), reference);
            if (score > bestScore)
            {
                bestScore = score;
                best = p;
            }
        }

        return best;
    }
}
