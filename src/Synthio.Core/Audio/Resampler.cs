using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics.Tensors;

namespace Synthio.Audio;

/// <summary>
/// Band-limited sample-rate conversion with a Kaiser-windowed sinc kernel. Rational rate pairs with a
/// small reduced ratio (8, 16, 22.05, 44.1, 48 kHz and the like) run as an exact polyphase filter whose
/// phase tables are built once and shared; any other ratio uses a finely tabulated kernel with linear
/// interpolation. When the rate goes down, the cut-off follows the new Nyquist frequency so nothing above
/// it folds back (stop band about 80 dB below the pass band).
/// </summary>
public static class Resampler
{
    /// <summary>Zero crossings of the sinc on each side at the lower of the two rates: sets the filter length.</summary>
    private const int ZeroCrossings = 24;

    /// <summary>Pass band as a fraction of the lower Nyquist frequency; the rest is the transition band.</summary>
    private const double Rolloff = 0.9;

    /// <summary>Kaiser β for roughly 80 dB of stop-band attenuation.</summary>
    private const double KaiserBeta = 8.0;

    private const int MaxPolyphasePhases = 2048;

    private const int FractionalPhases = 256;

    private const int CutoffGrid = 64;

    private static readonly ConcurrentDictionary<(int Up, int Down), PolyphaseBank> Banks = new();

    private static readonly ConcurrentDictionary<(int CutoffSteps, int ZeroCrossings), FractionalBank> FractionalBanks = new();

    /// <summary>Converts <paramref name="audio"/> to <paramref name="targetRate"/> Hz; returns the same buffer when the rate already matches.</summary>
    public static AudioBuffer Resample(AudioBuffer audio, int targetRate)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetRate);
        if (audio.SampleRate == targetRate)
        {
            return audio;
        }

        var divisor = Gcd(audio.SampleRate, targetRate);
        var up = targetRate / divisor;
        var down = audio.SampleRate / divisor;
        var outputLength = (int)Math.Ceiling((double)audio.Length * up / down);
        var output = new float[outputLength];
        if (up <= MaxPolyphasePhases)
        {
            var bank = Banks.TryGetValue((up, down), out var b) ? b : Banks.GetOrAdd((up, down), key => new PolyphaseBank(key.Up, key.Down));
            bank.Run(audio.Samples, output);
        }
        else
        {
            ResampleByRatio(audio.Samples, (double)targetRate / audio.SampleRate, output, ZeroCrossings);
        }

        return new AudioBuffer(output, targetRate);
    }

    /// <summary>
    /// Resamples by an arbitrary ratio (output rate / input rate), e.g. to speed a clip up for a pitch shift.
    /// The output holds ⌈input·ratio⌉ samples.
    /// </summary>
    public static float[] ResampleByRatio(ReadOnlySpan<float> input, double ratio, int zeroCrossings = 16)
    {
        if (!(ratio > 0) || double.IsInfinity(ratio))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "Ratio must be positive and finite.");
        }

        var output = new float[(int)Math.Ceiling(input.Length * ratio)];
        ResampleByRatio(input, ratio, output, zeroCrossings);
        return output;
    }

    private static void ResampleByRatio(ReadOnlySpan<float> input, double ratio, Span<float> output, int zeroCrossings)
    {
        // The cut-off scale min(1, ratio) is rounded down to a 1/64 grid so a handful of shared tables serve
        // every ratio (rounding down only lowers the cut-off: never more aliasing).
        var scaleSteps = (int)Math.Floor(Math.Min(1.0, ratio) * CutoffGrid);
        FractionalBank bank;
        if (scaleSteps >= 1 && zeroCrossings <= 64)
        {
            var key = (scaleSteps, zeroCrossings);
            bank = FractionalBanks.TryGetValue(key, out var b) ? b : FractionalBanks.GetOrAdd(key, k => new FractionalBank((double)k.Item1 / CutoffGrid, k.Item2));
        }
        else
        {
            bank = new FractionalBank(Math.Min(1.0, ratio), zeroCrossings);
        }

        bank.Run(input, 1.0 / ratio, output);
    }

    // Zero padding on both sides so every tap reads a valid index; the buffer is rented, give it back with Return.
    private static float[] Pad(ReadOnlySpan<float> input, int reach)
    {
        var length = input.Length + (2 * reach) + 2;
        var padded = ArrayPool<float>.Shared.Rent(length);
        padded.AsSpan(0, length).Clear();
        input.CopyTo(padded.AsSpan(reach));
        return padded;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    // Zeroth-order modified Bessel function of the first kind, by its power series.
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, halfX = x / 2;
        for (var k = 1; k < 64; k++)
        {
            term *= (halfX / k) * (halfX / k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }

    // Windowed-sinc low-pass impulse response at offset x (input samples) for a cut-off in cycles per input sample.
    private static double Kernel(double x, double cutoff, double halfWidth)
    {
        if (Math.Abs(x) >= halfWidth)
        {
            return 0;
        }

        var arg = 2 * cutoff * x;
        var sinc = Math.Abs(arg) < 1e-12 ? 1.0 : Math.Sin(Math.PI * arg) / (Math.PI * arg);
        var r = x / halfWidth;
        var window = BesselI0(KaiserBeta * Math.Sqrt(1 - (r * r))) / BesselI0(KaiserBeta);
        return 2 * cutoff * sinc * window;
    }

    /// <summary>Exact polyphase filter for output rate / input rate = up / down in lowest terms.</summary>
    private sealed class PolyphaseBank
    {
        private readonly int _up;
        private readonly int _down;
        private readonly int _taps;
        private readonly int _reach;

        // _phases[p * _taps + k] weights input index base − reach + 1 + k for output phase p.
        private readonly float[] _phases;

        public PolyphaseBank(int up, int down)
        {
            _up = up;
            _down = down;
            var cutoff = 0.5 * Math.Min(1.0, (double)up / down) * Rolloff;
            var halfWidth = ZeroCrossings / (2 * cutoff);
            _reach = (int)Math.Ceiling(halfWidth);
            _taps = 2 * _reach;
            _phases = new float[up * _taps];
            for (var p = 0; p < up; p++)
            {
                var fraction = (double)p / up;
                double sum = 0;
                var row = new double[_taps];
                for (var k = 0; k < _taps; k++)
                {
                    row[k] = Kernel((k - _reach + 1) - fraction, cutoff, halfWidth);
                    sum += row[k];
                }

                // Unit DC gain for every phase: a constant stays exactly constant.
                for (var k = 0; k < _taps; k++)
                {
                    _phases[(p * _taps) + k] = (float)(row[k] / sum);
                }
            }
        }

        public void Run(ReadOnlySpan<float> input, Span<float> output)
        {
            var padded = Pad(input, _reach);
            var phases = _phases.AsSpan();
            long position = 0;
            for (var n = 0; n < output.Length; n++, position += _down)
            {
                var baseIndex = (int)(position / _up);
                var phase = (int)(position % _up);
                output[n] = TensorPrimitives.Dot(padded.AsSpan(baseIndex + 1, _taps), phases.Slice(phase * _taps, _taps));
            }

            ArrayPool<float>.Shared.Return(padded);
        }
    }

    /// <summary>
    /// Polyphase bank for arbitrary ratios: the kernel at <see cref="FractionalPhases"/> evenly spaced fractional
    /// offsets; an output sample interpolates linearly between the two nearest phases' dot products.
    /// </summary>
    private sealed class FractionalBank
    {
        private readonly int _taps;
        private readonly int _reach;
        private readonly float[] _phases;

        public FractionalBank(double cutoffScale, int zeroCrossings)
        {
            var cutoff = 0.5 * cutoffScale * Rolloff;
            var halfWidth = zeroCrossings / (2 * cutoff);
            _reach = (int)Math.Ceiling(halfWidth);
            _taps = 2 * _reach;
            _phases = new float[(FractionalPhases + 1) * _taps];
            var row = new double[_taps];
            for (var p = 0; p <= FractionalPhases; p++)
            {
                var fraction = (double)p / FractionalPhases;
                double sum = 0;
                for (var k = 0; k < _taps; k++)
                {
                    row[k] = Kernel((k - _reach + 1) - fraction, cutoff, halfWidth);
                    sum += row[k];
                }

                for (var k = 0; k < _taps; k++)
                {
                    _phases[(p * _taps) + k] = (float)(row[k] / sum);
                }
            }
        }

        public void Run(ReadOnlySpan<float> input, double step, Span<float> output)
        {
            var padded = Pad(input, _reach);
            var phases = _phases.AsSpan();
            for (var n = 0; n < output.Length; n++)
            {
                var time = n * step;
                var baseIndex = (int)time;
                var position = (time - baseIndex) * FractionalPhases;
                var phase = Math.Min((int)position, FractionalPhases - 1);
                var blend = (float)(position - phase);
                var window = padded.AsSpan(baseIndex + 1, _taps);
                var lower = TensorPrimitives.Dot(window, phases.Slice(phase * _taps, _taps));
                var upper = TensorPrimitives.Dot(window, phases.Slice((phase + 1) * _taps, _taps));
                output[n] = lower + ((upper - lower) * blend);
            }

            ArrayPool<float>.Shared.Return(padded);
        }
    }
}
