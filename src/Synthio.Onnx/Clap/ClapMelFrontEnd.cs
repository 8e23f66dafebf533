using Synthio.Audio;
using Synthio.Onnx.Signal;

namespace Synthio.Onnx.Clap;

/// <summary>
/// Turns a clip into CLAP's <c>input_features</c>: resample to 48 kHz, fit to 10 s (repeat-pad or truncate
/// from the start), centred STFT with reflect padding and a periodic Hann window, power spectrum, Slaney-normalised
/// mel filters on the Slaney mel scale, then 10·log10(max(mel, 1e-10)). Output is time-major
/// <c>[frames, melBins]</c>, flattened.
/// </summary>
public sealed class ClapMelFrontEnd
{
    private const double MelFloor = 1e-10;

    private readonly ClapFrontEndSettings _settings;
    private readonly double[] _window;
    private readonly double[] _filters; // [fftBins, melBins], row-major by frequency bin
    private readonly int _fftBins;
    private readonly int[] _filterStart; // first non-zero bin of each mel filter
    private readonly double[][] _filterWeights; // that filter's weights from _filterStart on

    public ClapMelFrontEnd(ClapFrontEndSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate(null);
        _settings = settings;
        _fftBins = settings.FftSize / 2 + 1;
        _window = new double[settings.FftSize];
        for (var n = 0; n < settings.FftSize; n++)
        {
            _window[n] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / settings.FftSize); // periodic Hann
        }

        _filters = SlaneyMelFilterBank(_fftBins, settings.MelBins, settings.MinFrequency, settings.MaxFrequency, settings.SampleRate);

        // Each triangle covers a few bins only: keep those so a frame costs O(bins) rather than O(bins × mels).
        _filterStart = new int[settings.MelBins];
        _filterWeights = new double[settings.MelBins][];
        for (var m = 0; m < settings.MelBins; m++)
        {
            var first = -1;
            var last = -1;
            for (var k = 0; k < _fftBins; k++)
            {
                if (_filters[k * settings.MelBins + m] != 0)
                {
                    first = first < 0 ? k : first;
                    last = k;
                }
            }

            _filterStart[m] = Math.Max(first, 0);
            _filterWeights[m] = first < 0
                ? []
                : Enumerable.Range(first, last - first + 1).Select(k => _filters[k * settings.MelBins + m]).ToArray();
        }
    }

    public ClapFrontEndSettings Settings => _settings;

    /// <summary>Number of values <see cref="Compute(AudioBuffer)"/> returns: frames × mel bins.</summary>
    public int FeatureLength => _settings.Frames * _settings.MelBins;

    /// <summary>The mel filter weights, <c>[fftBins, melBins]</c> row-major (exposed for inspection and tests).</summary>
    public ReadOnlySpan<double> Filters => _filters;

    /// <summary>Resamples when needed, fits to the window and returns the time-major log-mel features.</summary>
    public float[] Compute(AudioBuffer audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var resampled = Resampler.Resample(audio, _settings.SampleRate);
        var window = FitToWindow(resampled.Samples);
        var features = new float[FeatureLength];
        ComputeLogMel(window, features);
        return features;
    }

    /// <summary>
    /// Fits samples to the fixed window as HF's "repeatpad": whole repeats of the clip, then zeros; "repeat"
    /// repeats and cuts; "pad" pads with zeros. Longer clips are truncated from the start so results are
    /// deterministic (the reference extractor crops at random during training).
    /// </summary>
    public double[] FitToWindow(ReadOnlySpan<float> samples)
    {
        var length = _settings.WindowSamples;
        var window = new double[length];
        if (samples.Length == 0)
        {
            return window;
        }

        if (samples.Length >= length)
        {
            for (var i = 0; i < length; i++)
            {
                window[i] = samples[i];
            }

            return window;
        }

        var filled = _settings.Padding switch
        {
            "repeatpad" => length / samples.Length * samples.Length,
            "repeat" => length,
            _ => samples.Length,
        };
        for (var i = 0; i < filled; i++)
        {
            window[i] = samples[i % samples.Length];
        }

        return window;
    }

    /// <summary>Log-mel of an already fitted window, written time-major into <paramref name="features"/>.</summary>
    public void ComputeLogMel(ReadOnlySpan<double> window, Span<float> features)
    {
        var fftSize = _settings.FftSize;
        var hop = _settings.HopLength;
        var melBins = _settings.MelBins;
        var frames = 1 + window.Length / hop;
        if (features.Length < frames * melBins)
        {
            throw new ArgumentException("Feature buffer too small.", nameof(features));
        }

        var fft = new Radix2Fft(fftSize);
        var real = new double[fftSize];
        var imaginary = new double[fftSize];
        var powerA = new double[_fftBins];
        var powerB = new double[_fftBins];

        // Two real frames per complex FFT: frame f in the real part, frame f+1 in the imaginary part, separated
        // afterwards by the conjugate symmetry of real signals' spectra.
        for (var frame = 0; frame < frames; frame += 2)
        {
            var paired = frame + 1 < frames;
            FillFrame(window, frame, real);
            if (paired)
            {
                FillFrame(window, frame + 1, imaginary);
            }
            else
            {
                Array.Clear(imaginary);
            }

            fft.Forward(real, imaginary);
            for (var k = 0; k < _fftBins; k++)
            {
                var mirror = (fftSize - k) & (fftSize - 1);
                var ar = 0.5 * (real[k] + real[mirror]);
                var ai = 0.5 * (imaginary[k] - imaginary[mirror]);
                var br = 0.5 * (imaginary[k] + imaginary[mirror]);
                var bi = 0.5 * (real[mirror] - real[k]);
                powerA[k] = ar * ar + ai * ai;
                powerB[k] = br * br + bi * bi;
            }

            WriteLogMel(powerA, features.Slice(frame * melBins, melBins));
            if (paired)
            {
                WriteLogMel(powerB, features.Slice((frame + 1) * melBins, melBins));
            }
        }
    }

    /// <summary>Frame <paramref name="frame"/> of the centred, reflect-padded signal, Hann-windowed.</summary>
    private void FillFrame(ReadOnlySpan<double> signal, int frame, Span<double> destination)
    {
        var fftSize = _settings.FftSize;
        var start = frame * _settings.HopLength - fftSize / 2;
        if (start >= 0 && start + fftSize <= signal.Length)
        {
            var source = signal.Slice(start, fftSize);
            for (var n = 0; n < fftSize; n++)
            {
                destination[n] = source[n] * _window[n];
            }

            return;
        }

        for (var n = 0; n < fftSize; n++)
        {
            destination[n] = signal[ReflectIndex(start + n, signal.Length)] * _window[n];
        }
    }

    /// <summary>Mel filter sums of one power spectrum, in dB, floored at 1e-10.</summary>
    private void WriteLogMel(ReadOnlySpan<double> power, Span<float> output)
    {
        for (var m = 0; m < output.Length; m++)
        {
            var weights = _filterWeights[m];
            var firstBin = _filterStart[m];
            double sum = 0;
            for (var j = 0; j < weights.Length; j++)
            {
                sum += weights[j] * power[firstBin + j];
            }

            output[m] = (float)(10.0 * Math.Log10(Math.Max(sum, MelFloor)));
        }
    }

    /// <summary>Slaney's mel scale: linear below 1 kHz (3 mels per 200 Hz), logarithmic above.</summary>
    public static double HertzToMel(double hertz)
    {
        const double minLogHertz = 1000.0;
        const double minLogMel = 15.0;
        var logStep = 27.0 / Math.Log(6.4);
        return hertz >= minLogHertz ? minLogMel + Math.Log(hertz / minLogHertz) * logStep : 3.0 * hertz / 200.0;
    }

    /// <summary>Inverse of <see cref="HertzToMel"/>.</summary>
    public static double MelToHertz(double mel)
    {
        const double minLogHertz = 1000.0;
        const double minLogMel = 15.0;
        var logStep = Math.Log(6.4) / 27.0;
        return mel >= minLogMel ? minLogHertz * Math.Exp(logStep * (mel - minLogMel)) : 200.0 * mel / 3.0;
    }

    /// <summary>Triangular filters between mel-spaced edges, each scaled to unit area (Slaney norm).</summary>
    internal static double[] SlaneyMelFilterBank(int fftBins, int melBins, double minHz, double maxHz, int sampleRate)
    {
        var minMel = HertzToMel(minHz);
        var maxMel = HertzToMel(maxHz);
        var edges = new double[melBins + 2];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = MelToHertz(minMel + (maxMel - minMel) * i / (melBins + 1));
        }

        var filters = new double[fftBins * melBins];
        var nyquist = sampleRate / 2;
        for (var k = 0; k < fftBins; k++)
        {
            var frequency = (double)nyquist * k / (fftBins - 1);
            for (var m = 0; m < melBins; m++)
            {
                var rising = (frequency - edges[m]) / (edges[m + 1] - edges[m]);
                var falling = (edges[m + 2] - frequency) / (edges[m + 2] - edges[m + 1]);
                var weight = Math.Max(0, Math.Min(rising, falling));
                filters[k * melBins + m] = weight * 2.0 / (edges[m + 2] - edges[m]);
            }
        }

        return filters;
    }

    private static int ReflectIndex(int index, int length)
    {
        if (length == 1)
        {
            return 0;
        }

        var period = 2 * (length - 1);
        index %= period;
        if (index < 0)
        {
            index += period;
        }

        return index < length ? index : period - index;
    }
}
