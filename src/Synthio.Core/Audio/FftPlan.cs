using System.Collections.Concurrent;

namespace Synthio.Audio;

/// <summary>
/// A radix-2 fast Fourier transform of one fixed power-of-two size with its bit-reversal and twiddle
/// tables precomputed once and shared (plans are immutable and thread-safe). Works on split real/imaginary
/// spans so callers can keep their buffers and stay allocation-free.
/// </summary>
public sealed class FftPlan
{
    private static readonly ConcurrentDictionary<int, FftPlan> Plans = new();

    private readonly int[] _bitReversed;
    private readonly float[] _cos;
    private readonly float[] _sin;

    // For the real transform of size Size we run a complex transform of Size/2 and untangle it.
    private readonly FftPlan? _half;
    private readonly float[] _realCos;
    private readonly float[] _realSin;

    private FftPlan(int size)
    {
        Size = size;
        _bitReversed = new int[size];
        var bits = System.Numerics.BitOperations.Log2((uint)size);
        for (var i = 0; i < size; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReversed[i] = r;
        }

        _cos = new float[Math.Max(1, size / 2)];
        _sin = new float[Math.Max(1, size / 2)];
        for (var k = 0; k < size / 2; k++)
        {
            var angle = 2 * Math.PI * k / size;
            _cos[k] = (float)Math.Cos(angle);
            _sin[k] = (float)Math.Sin(angle);
        }

        _realCos = new float[size / 2 + 1];
        _realSin = new float[size / 2 + 1];
        for (var k = 0; k <= size / 2; k++)
        {
            var angle = 2 * Math.PI * k / size;
            _realCos[k] = (float)Math.Cos(angle);
            _realSin[k] = (float)Math.Sin(angle);
        }

        _half = size >= 4 ? Get(size / 2) : null;
    }

    /// <summary>Number of points of the transform (a power of two, at least 2).</summary>
    public int Size { get; }

    /// <summary>The shared plan for <paramref name="size"/> points.</summary>
    public static FftPlan Get(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two, at least 2.");
        }

        return Plans.TryGetValue(size, out var plan) ? plan : Plans.GetOrAdd(size, s => new FftPlan(s));
    }

    /// <summary>Smallest power of two not below <paramref name="n"/>.</summary>
    public static int NextPowerOfTwo(int n) => n <= 2 ? 2 : (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)n);

    /// <summary>In-place forward complex DFT: X[k] = Σ x[n]·e^(−2πikn/N).</summary>
    public void Forward(Span<float> re, Span<float> im)
    {
        if (re.Length != Size || im.Length != Size)
        {
            throw new ArgumentException($"Both spans must hold exactly {Size} values.");
        }

        BitReverse(re, im);
        var n = Size;
        for (var length = 2; length <= n; length <<= 1)
        {
            var half = length >> 1;
            var stride = n / length;
            for (var start = 0; start < n; start += length)
            {
                for (var j = 0; j < half; j++)
                {
                    var wr = _cos[j * stride];
                    var wi = -_sin[j * stride];
                    var a = start + j;
                    var b = a + half;
                    var br = re[b];
                    var bi = im[b];
                    var tr = (br * wr) - (bi * wi);
                    var ti = (br * wi) + (bi * wr);
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }

    /// <summary>In-place inverse complex DFT, scaled by 1/N so that Inverse(Forward(x)) = x.</summary>
    public void Inverse(Span<float> re, Span<float> im)
    {
        // IDFT(x) = conj(DFT(conj(x))) / N; swapping re and im is the conjugation trick without a pass.
        Forward(im, re);
        var scale = 1f / Size;
        System.Numerics.Tensors.TensorPrimitives.Multiply(re, scale, re);
        System.Numerics.Tensors.TensorPrimitives.Multiply(im, scale, im);
    }

    /// <summary>
    /// Forward DFT of a real signal of <see cref="Size"/> points. Writes bins 0…Size/2 (Size/2 + 1 values)
    /// into <paramref name="re"/> and <paramref name="im"/>; <paramref name="input"/> is left untouched.
    /// <paramref name="scratch"/> must hold at least <see cref="Size"/> floats.
    /// </summary>
    public void ForwardReal(ReadOnlySpan<float> input, Span<float> re, Span<float> im, Span<float> scratch)
    {
        var m = Size / 2;
        if (input.Length != Size || re.Length < m + 1 || im.Length < m + 1 || scratch.Length < Size)
        {
            throw new ArgumentException("Span sizes do not match the plan.");
        }

        if (_half is null)
        {
            re[0] = input[0] + input[1];
            re[1] = input[0] - input[1];
            im[0] = 0;
            im[1] = 0;
            return;
        }

        // Pack even samples as real and odd samples as imaginary parts of a half-size complex signal.
        var zr = scratch[..m];
        var zi = scratch.Slice(m, m);
        for (var n = 0; n < m; n++)
        {
            zr[n] = input[2 * n];
            zi[n] = input[(2 * n) + 1];
        }

        _half.Forward(zr, zi);
        re[0] = zr[0] + zi[0];
        im[0] = 0;
        re[m] = zr[0] - zi[0];
        im[m] = 0;
        for (var k = 1; k < m; k++)
        {
            float ar = zr[k], ai = zi[k], br = zr[m - k], bi = zi[m - k];
            var evenRe = 0.5f * (ar + br);
            var evenIm = 0.5f * (ai - bi);
            var oddRe = 0.5f * (ai + bi);
            var oddIm = -0.5f * (ar - br);
            var c = _realCos[k];
            var s = _realSin[k];
            re[k] = evenRe + (c * oddRe) + (s * oddIm);
            im[k] = evenIm + (c * oddIm) - (s * oddRe);
        }
    }

    /// <summary>
    /// Power spectrum |X[k]|² of a real frame, bins 0…Size/2. <paramref name="scratch"/> must hold at least
    /// 2·Size + 2 floats.
    /// </summary>
    public void PowerSpectrum(ReadOnlySpan<float> frame, Span<float> power, Span<float> scratch)
    {
        var bins = (Size / 2) + 1;
        var re = scratch[..bins];
        var im = scratch.Slice(bins, bins);
        ForwardReal(frame, re, im, scratch.Slice(2 * bins, Size));
        for (var k = 0; k < bins; k++)
        {
            power[k] = (re[k] * re[k]) + (im[k] * im[k]);
        }
    }

    private void BitReverse(Span<float> re, Span<float> im)
    {
        for (var i = 0; i < Size; i++)
        {
            var j = _bitReversed[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
    }
}
