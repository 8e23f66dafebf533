namespace Synthio.Onnx.Signal;

/// <summary>In-place iterative radix-2 complex FFT of one power-of-two size, twiddles computed once.</summary>
internal sealed class Radix2Fft
{
    private readonly int _size;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly int[] _bitReversed;

    public Radix2Fft(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two.");
        }

        _size = size;
        _cos = new double[size / 2];
        _sin = new double[size / 2];
        for (var k = 0; k < size / 2; k++)
        {
            var angle = -2.0 * Math.PI * k / size;
            _cos[k] = Math.Cos(angle);
            _sin[k] = Math.Sin(angle);
        }

        var bits = System.Numerics.BitOperations.Log2((uint)size);
        _bitReversed = new int[size];
        for (var i = 0; i < size; i++)
        {
            var reversed = 0;
            for (var b = 0; b < bits; b++)
            {
                reversed |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReversed[i] = reversed;
        }
    }

    public int Size => _size;

    /// <summary>Forward transform X[k] = Σ x[n] e^{-2πikn/N}, in place.</summary>
    public void Forward(Span<double> real, Span<double> imaginary)
    {
        for (var i = 0; i < _size; i++)
        {
            var j = _bitReversed[i];
            if (j > i)
            {
                (real[i], real[j]) = (real[j], real[i]);
                (imaginary[i], imaginary[j]) = (imaginary[j], imaginary[i]);
            }
        }

        for (var length = 2; length <= _size; length <<= 1)
        {
            var half = length >> 1;
            var stride = _size / length;
            for (var start = 0; start < _size; start += length)
            {
                for (var k = 0; k < half; k++)
                {
                    var wr = _cos[k * stride];
                    var wi = _sin[k * stride];
                    var a = start + k;
                    var b = a + half;
                    var tr = wr * real[b] - wi * imaginary[b];
                    var ti = wr * imaginary[b] + wi * real[b];
                    real[b] = real[a] - tr;
                    imaginary[b] = imaginary[a] - ti;
                    real[a] += tr;
                    imaginary[a] += ti;
                }
            }
        }
    }
}
