using System.Numerics.Tensors;
using Synthio.Audio;

namespace Synthio.Features;

/// <summary>
/// Frame-level analysis behind <see cref="SpectralStatisticsEmbedder"/>: Hann-windowed frames → power
/// spectrum (radix-2 FFT) → log-mel energies (HTK mel scale, triangular filters) → MFCC (orthonormal DCT-II);
/// plus spectral centroid, bandwidth and roll-off (kHz, magnitude-weighted), spectral flatness (geometric over
/// arithmetic mean of power), zero-crossing rate (crossings per sample) and RMS level (dBFS); optionally delta
/// and delta-delta MFCCs (±2-frame regression). Tables are built once per analyzer; an analyzer is immutable
/// and thread-safe.
/// </summary>
public sealed class SpectralFrameAnalyzer
{
    /// <summary>Floor added to powers before taking logarithms (−100 dB).</summary>
    private const float PowerFloor = 1e-10f;

    private readonly int[] _melStart;
    private readonly float[][] _melWeights;
    private readonly float[] _dct;
    private readonly float[] _window;
    private readonly float[] _binKhz;
    private readonly float[] _binKhzSquared;

    public SpectralFrameAnalyzer(FeatureSettings? settings = null)
    {
        Settings = settings ?? FeatureSettings.Default;
        var s = Settings;
        if (s.SampleRate <= 0 || s.MelBands <= 0 || s.MfccCount <= 0 || s.MfccCount > s.MelBands || !(s.FrameSeconds > 0) || !(s.HopSeconds > 0))
        {
            throw new ArgumentException($"Invalid feature settings: {s}", nameof(settings));
        }

        FrameLength = Math.Max(2, (int)Math.Round(s.FrameSeconds * s.SampleRate));
        HopLength = Math.Max(1, (int)Math.Round(s.HopSeconds * s.SampleRate));
        FftSize = FftPlan.NextPowerOfTwo(Math.Max(s.FftSize, FrameLength));
        Bins = (FftSize / 2) + 1;

        _window = HannWindow.Periodic(FrameLength);

        _binKhz = new float[Bins];
        _binKhzSquared = new float[Bins];
        for (var k = 0; k < Bins; k++)
        {
            _binKhz[k] = (float)(k * (double)s.SampleRate / FftSize / 1000);
            _binKhzSquared[k] = _binKhz[k] * _binKhz[k];
        }

        (_melStart, _melWeights) = BuildMelBank(s, FftSize, Bins);
        _dct = new float[s.MfccCount * s.MelBands];
        for (var k = 0; k < s.MfccCount; k++)
        {
            var scale = Math.Sqrt((k == 0 ? 1.0 : 2.0) / s.MelBands);
            for (var m = 0; m < s.MelBands; m++)
            {
                _dct[(k * s.MelBands) + m] = (float)(scale * Math.Cos(Math.PI * k * (m + 0.5) / s.MelBands));
            }
        }

        MfccTrack = s.MelBands;
        ScalarTrack = MfccTrack + s.MfccCount;
        DeltaTrack = ScalarTrack + ScalarTrackCount;
        TrackCount = DeltaTrack + (s.IncludeDeltas ? 2 * s.MfccCount : 0);
    }

    /// <summary>Number of per-frame scalar descriptors (centroid, bandwidth, roll-off, flatness, ZCR, RMS).</summary>
    public const int ScalarTrackCount = 6;

    public FeatureSettings Settings { get; }

    public int FrameLength { get; }

    public int HopLength { get; }

    public int FftSize { get; }

    /// <summary>Power-spectrum bins per frame (FftSize/2 + 1).</summary>
    public int Bins { get; }

    /// <summary>Tracks per frame: log-mel bands, MFCCs, the six scalars, then deltas when enabled.</summary>
    public int TrackCount { get; }

    /// <summary>Index of MFCC c0's track (log-mel bands come first, from index 0).</summary>
    public int MfccTrack { get; }

    /// <summary>Index of the first scalar track: centroid, bandwidth, roll-off, flatness, ZCR, RMS, in that order.</summary>
    public int ScalarTrack { get; }

    /// <summary>Index of the first delta-MFCC track (delta-deltas follow); equals <see cref="TrackCount"/> when disabled.</summary>
    public int DeltaTrack { get; }

    /// <summary>Number of frames a clip of <paramref name="samples"/> samples yields (at least one).</summary>
    public int FrameCount(int samples) => samples <= FrameLength ? 1 : 1 + ((samples - FrameLength) / HopLength);

    /// <summary>Resamples to the settings' rate if needed and computes every track of every frame.</summary>
    public FrameFeatureMatrix Analyze(AudioBuffer audio)
    {
        var workspace = new FrameWorkspace(this);
        var frames = Analyze(audio, workspace);
        var values = workspace.Tracks.AsSpan(0, TrackCount * frames).ToArray();
        return new FrameFeatureMatrix(values, TrackCount, frames);
    }

    /// <summary>Fills <paramref name="workspace"/>'s tracks (feature-major: track t at [t·frames, (t+1)·frames)); returns the frame count.</summary>
    internal int Analyze(AudioBuffer audio, FrameWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var samples = Resampler.Resample(audio, Settings.SampleRate).Samples.AsSpan();
        var frames = FrameCount(samples.Length);
        workspace.EnsureFrames(frames);
        var tracks = workspace.Tracks.AsSpan(0, TrackCount * frames);
        var plan = FftPlan.Get(FftSize);
        var frame = workspace.Frame.AsSpan();
        var power = workspace.Power.AsSpan();
        var magnitude = workspace.Magnitude.AsSpan();
        var logMel = workspace.LogMel.AsSpan();
        var melBands = Settings.MelBands;
        var mfccCount = Settings.MfccCount;

        for (var f = 0; f < frames; f++)
        {
            var start = f * HopLength;
            var available = Math.Clamp(samples.Length - start, 0, FrameLength);
            var raw = samples.Slice(start, available);
            frame.Clear();
            TensorPrimitives.Multiply(raw, _window.AsSpan(0, available), frame[..available]);
            plan.PowerSpectrum(frame, power, workspace.Scratch);

            // Log-mel energies through the sparse triangular bank.
            for (var b = 0; b < melBands; b++)
            {
                var weights = _melWeights[b];
                logMel[b] = TensorPrimitives.Dot(power.Slice(_melStart[b], weights.Length), weights);
            }

            TensorPrimitives.Max(logMel, PowerFloor, logMel);
            TensorPrimitives.Log(logMel, logMel);
            for (var b = 0; b < melBands; b++)
            {
                tracks[(b * frames) + f] = logMel[b];
            }

            for (var k = 0; k < mfccCount; k++)
            {
                tracks[((MfccTrack + k) * frames) + f] = TensorPrimitives.Dot(_dct.AsSpan(k * melBands, melBands), logMel);
            }

            // Spectral shape from the magnitude spectrum.
            TensorPrimitives.Sqrt(power, magnitude);
            var total = TensorPrimitives.Sum(magnitude);
            float centroid = 0, bandwidth = 0, rolloff = 0;
            if (total > 0)
            {
                centroid = TensorPrimitives.Dot(magnitude, _binKhz) / total;
                var secondMoment = TensorPrimitives.Dot(magnitude, _binKhzSquared) / total;
                bandwidth = MathF.Sqrt(MathF.Max(0, secondMoment - (centroid * centroid)));
                var threshold = (float)(Settings.RolloffFraction * total);
                float cumulative = 0;
                var bin = 0;
                for (; bin < Bins - 1; bin++)
                {
                    cumulative += magnitude[bin];
                    if (cumulative >= threshold)
                    {
                        break;
                    }
                }

                rolloff = _binKhz[bin];
            }

            // Flatness: exp(mean log P) / mean P, with the floor keeping silence finite (silence is flat: 1).
            TensorPrimitives.Add(power, PowerFloor, magnitude);
            var arithmetic = TensorPrimitives.Sum(magnitude) / Bins;
            TensorPrimitives.Log(magnitude, magnitude);
            var flatness = MathF.Exp(TensorPrimitives.Sum(magnitude) / Bins) / arithmetic;

            var crossings = 0;
            for (var i = 1; i < raw.Length; i++)
            {
                crossings += (raw[i - 1] >= 0) != (raw[i] >= 0) ? 1 : 0;
            }

            var zcr = raw.Length > 1 ? (float)crossings / (raw.Length - 1) : 0f;
            var meanSquare = available > 0 ? TensorPrimitives.SumOfSquares(raw) / available : 0f;
            var rmsDb = meanSquare > 1e-12f ? 10f * MathF.Log10(meanSquare) : -120f;

            tracks[(ScalarTrack * frames) + f] = centroid;
            tracks[((ScalarTrack + 1) * frames) + f] = bandwidth;
            tracks[((ScalarTrack + 2) * frames) + f] = rolloff;
            tracks[((ScalarTrack + 3) * frames) + f] = Math.Min(1f, flatness);
            tracks[((ScalarTrack + 4) * frames) + f] = zcr;
            tracks[((ScalarTrack + 5) * frames) + f] = rmsDb;
        }

        if (Settings.IncludeDeltas)
        {
            for (var k = 0; k < mfccCount; k++)
            {
                var mfcc = tracks.Slice((MfccTrack + k) * frames, frames);
                var delta = tracks.Slice((DeltaTrack + k) * frames, frames);
                var deltaDelta = tracks.Slice((DeltaTrack + mfccCount + k) * frames, frames);
                Delta(mfcc, delta);
                Delta(delta, deltaDelta);
            }
        }

        return frames;
    }

    // Regression delta over ±2 frames with edge frames repeated: d_t = Σ n·(c[t+n] − c[t−n]) / (2·Σ n²).
    private static void Delta(ReadOnlySpan<float> input, Span<float> output)
    {
        var last = input.Length - 1;
        for (var t = 0; t <= last; t++)
        {
            var d1 = input[Math.Min(last, t + 1)] - input[Math.Max(0, t - 1)];
            var d2 = input[Math.Min(last, t + 2)] - input[Math.Max(0, t - 2)];
            output[t] = (d1 + (2 * d2)) / 10f;
        }
    }

    private static double HzToMel(double hz) => 2595.0 * Math.Log10(1 + (hz / 700.0));

    private static double MelToHz(double mel) => 700.0 * (Math.Pow(10, mel / 2595.0) - 1);

    private static (int[] Start, float[][] Weights) BuildMelBank(FeatureSettings s, int fftSize, int bins)
    {
        var nyquist = s.SampleRate / 2.0;
        var high = s.MelMaxHz > 0 ? Math.Min(s.MelMaxHz, nyquist) : nyquist;
        var low = Math.Clamp(s.MelMinHz, 0, high - 1);
        var melLow = HzToMel(low);
        var melHigh = HzToMel(high);
        var edges = new double[s.MelBands + 2];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = MelToHz(melLow + ((melHigh - melLow) * i / (s.MelBands + 1)));
        }

        var starts = new int[s.MelBands];
        var weights = new float[s.MelBands][];
        var binHz = (double)s.SampleRate / fftSize;
        for (var b = 0; b < s.MelBands; b++)
        {
            double left = edges[b], center = edges[b + 1], right = edges[b + 2];
            var first = Math.Max(0, (int)Math.Ceiling(left / binHz));
            var last = Math.Min(bins - 1, (int)Math.Floor(right / binHz));
            var row = new List<float>();
            for (var k = first; k <= last; k++)
            {
                var hz = k * binHz;
                var w = hz <= center ? (hz - left) / (center - left) : (right - hz) / (right - center);
                row.Add((float)Math.Max(0, w));
            }

            // A band narrower than one bin still gets its nearest bin, so no band is identically empty.
            if (row.Count == 0 || row.All(w => w <= 0))
            {
                first = Math.Clamp((int)Math.Round(center / binHz), 0, bins - 1);
                row = [1f];
            }

            starts[b] = first;
            weights[b] = row.ToArray();
        }

        return (starts, weights);
    }
}

/// <summary>Reusable buffers for one thread's analysis; grows to the longest clip seen.</summary>
internal sealed class FrameWorkspace
{
    private readonly int _trackCount;

    public FrameWorkspace(SpectralFrameAnalyzer analyzer)
    {
        _trackCount = analyzer.TrackCount;
        Frame = new float[analyzer.FftSize];
        Scratch = new float[(2 * analyzer.FftSize) + 2];
        Power = new float[analyzer.Bins];
        Magnitude = new float[analyzer.Bins];
        LogMel = new float[analyzer.Settings.MelBands];
        Tracks = [];
    }

    public float[] Frame { get; }

    public float[] Scratch { get; }

    public float[] Power { get; }

    public float[] Magnitude { get; }

    public float[] LogMel { get; }

    public float[] Tracks { get; private set; }

    public float[] Sorted { get; private set; } = [];

    public void EnsureFrames(int frames)
    {
        if (Tracks.Length < _trackCount * frames)
        {
            Tracks = new float[_trackCount * frames];
        }

        if (Sorted.Length < frames)
        {
            Sorted = new float[frames];
        }
    }
}

/// <summary>Per-frame feature tracks of one clip, stored track by track.</summary>
public sealed class FrameFeatureMatrix
{
    private readonly float[] _values;

    internal FrameFeatureMatrix(float[] values, int trackCount, int frameCount)
    {
        _values = values;
        TrackCount = trackCount;
        FrameCount = frameCount;
    }

    public int TrackCount { get; }

    public int FrameCount { get; }

    /// <summary>The values of one track over time (see <see cref="SpectralFrameAnalyzer"/> for the layout).</summary>
    public ReadOnlySpan<float> Track(int track)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(track);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(track, TrackCount);
        return _values.AsSpan(track * FrameCount, FrameCount);
    }
}
