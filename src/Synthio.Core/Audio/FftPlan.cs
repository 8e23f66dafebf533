using System.Collections.Concurrent;
using System.Numerics;

namespace Synthio.Audio;

/// <summary>
/// A radix-2 fast Fourier transform of one fixed power-of-two size with its bit-reversal and twiddle
/// tables precomputed once and shared (plans are immutable and thread-safe). Works on split real/imaginary
/// spans so callers can keep their buffers and stay allocation-free.
/// </summary>
public sealed class FftPlan
{
    private static readonly ConcurrentDictionary<int, FftPlan> Plans = new();

    // Index pairs (i, j) with j = bit-reverse(i) > i: the swaps that put the input in bit-reversed order.
    private readonly int[] _swaps;
    // Twiddles e^(−iπj/h) for every stage half-length h, stored at [h, 2h): contiguous per stage.
    private readonly float[] _stageCos;
    private readonly float[] _stageSin;

    // For the real transform of size Size we run a complex transform of Size/2 and untangle it.
    private readonly FftPlan? _half;
    private readonly float[] _realCos;
    private readonly float[] _realSin;

    private FftPlan(int size)
    {
        Size = size;
        var bits = BitOperations.Log2((uint)size);
        var swaps = new List<int>();
        for (var i = 0; i < size; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            if (r > i)
            {
                swaps.Add(i);
                swaps.Add(r);
            }
        }

        _swaps = swaps.ToArray();

        _stageCos = new float[Math.Max(2, size)];
        _stageSin = new float[Math.Max(2, size)];
        for (var half = 1; half < size; half <<= 1)
        {
            for (var j = 0; j < half; j++)
            {
                var angle = Math.PI * j / half;
                _stageCos[half + j] = (float)Math.Cos(angle);
                _stageSin[half + j] = (float)-Math.Sin(angle);
            }
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
    public static int NextPowerOfTwo(int n) => n <= 2 ? 2 : (int)BitOperations.RoundUpToPowerOf2((uint)n);

    /// <summary>In-place forward complex DFT: X[k] = Σ x[n]·e^(−2πikn/N).</summary>
    public unsafe void Forward(Span<float> re, Span<float> im)
    {
        if (re.Length != Size || im.Length != Size)
        {
            throw new ArgumentException($"Both spans must hold exactly {Size} values.");
        }

        BitReverse(re, im);
        var n = Size;
        var width = Vector<float>.Count;
        fixed (float* pr = re, pi = im, tr = _stageCos, ti = _stageSin)
        {
            // Stage of length 2: twiddle 1.
            for (var a = 0; a < n; a += 2)
            {
                float xr = pr[a + 1], xi = pi[a + 1];
                pr[a + 1] = pr[a] - xr;
                pi[a + 1] = pi[a] - xi;
                pr[a] += xr;
                pi[a] += xi;
            }

            // Stage of length 4: twiddles 1 and −i.
            for (var a = 0; n >= 4 && a < n; a += 4)
            {
                float xr = pr[a + 2], xi = pi[a + 2];
                pr[a + 2] = pr[a] - xr;
                pi[a + 2] = pi[a] - xi;
                pr[a] += xr;
                pi[a] += xi;
                float yr = pi[a + 3], yi = -pr[a + 3];
                pr[a + 3] = pr[a + 1] - yr;
                pi[a + 3] = pi[a + 1] - yi;
                pr[a + 1] += yr;
                pi[a + 1] += yi;
            }

            // Later stages: twiddles for the stage of half-length h start at offset h in the stage tables,
            // contiguous in j, so runs of butterflies vectorise on split real/imaginary arrays.
            for (var half = 4; half < n; half <<= 1)
            {
                var wr = tr + half;
                var wi = ti + half;
                for (var start = 0; start < n; start += 2 * half)
                {
                    var ar = pr + start;
                    var ai = pi + start;
                    var br = ar + half;
                    var bi = ai + half;
                    var j = 0;
                    if (half >= width)
                    {
                        for (; j <= half - width; j += width)
                        {
                            var cr = Vector.Load(wr + j);
                            var ci = Vector.Load(wi + j);
                            var xr = Vector.Load(br + j);
                            var xi = Vector.Load(bi + j);
                            var tre = (xr * cr) - (xi * ci);
                            var tim = (xr * ci) + (xi * cr);
                            var ur = Vector.Load(ar + j);
                            var ui = Vector.Load(ai + j);
                            Vector.Store(ur - tre, br + j);
                            Vector.Store(ui - tim, bi + j);
                            Vector.Store(ur + tre, ar + j);
                            Vector.Store(ui + tim, ai + j);
                        }
                    }

                    for (; j < half; j++)
                    {
                        float cr = wr[j], ci = wi[j], xr = br[j], xi = bi[j];
                        var tre = (xr * cr) - (xi * ci);
                        var tim = (xr * ci) + (xi * cr);
                        br[j] = ar[j] - tre;
                        bi[j] = ai[j] - tim;
                        ar[j] += tre;
                        ai[j] += tim;
                    }
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
        var swaps = _swaps;
        for (var s = 0; s < swaps.Length; s += 2)
        {
            int i = swaps[s], j = swaps[s + 1];
            (re[i], re[j]) = (re[j], re[i]);
            (im[i], im[j]) = (im[j], im[i]);
        }
    }
}
