using NWaves.Transforms;
using Synthio.Audio;

namespace Synthio.Captioning;

/// <summary>
/// What the descriptor captioner measures in a clip. Levels are dBFS, frequencies Hz, times seconds.
/// Each field is computed from the signal alone (no label), so the caption it yields is honest about the audio.
/// </summary>
public sealed record AcousticDescriptors
{
    public double DurationSeconds { get; init; }

    /// <summary>90th percentile of frame RMS: how loud the sound is when it sounds.</summary>
    public double ActiveLevelDb { get; init; }

    /// <summary>10th percentile of frame RMS: the background level between sounds.</summary>
    public double NoiseFloorDb { get; init; }

    /// <summary>Fraction of frames more than 6 dB above the floor and within 30 dB of the active level.</summary>
    public double ActiveFraction { get; init; }

    /// <summary>Energy-weighted spectral centroid of the active frames.</summary>
    public double CentroidHz { get; init; }

    /// <summary>Spectral centroid of the quietest frames (the background's colour).</summary>
    public double BackgroundCentroidHz { get; init; }

    /// <summary>Mean spectral flatness (0 tonal … 1 white noise) of the active frames.</summary>
    public double Flatness { get; init; }

    /// <summary>Share of active-frame energy below 250 Hz.</summary>
    public double LowEnergyRatio { get; init; }

    /// <summary>Median normalised autocorrelation peak in the pitch range over active frames (0 … 1).</summary>
    public double Harmonicity { get; init; }

    /// <summary>Fraction of active frames with a clear pitch (autocorrelation peak ≥ 0.5).</summary>
    public double VoicedFraction { get; init; }

    /// <summary>Median pitch of the voiced frames, 0 when none.</summary>
    public double PitchHz { get; init; }

    /// <summary>Inter-quartile range of the voiced frames' pitch, in semitones.</summary>
    public double PitchSpreadSemitones { get; init; }

    /// <summary>Detected onsets per second.</summary>
    public double OnsetRate { get; init; }

    public int OnsetCount { get; init; }

    /// <summary>Median time from an onset to its envelope peak.</summary>
    public double AttackSeconds { get; init; }

    /// <summary>Median time for the envelope to fall 20 dB below a peak (capped at 1 s).</summary>
    public double DecaySeconds { get; init; }

    /// <summary>Period of the strongest repetition of the onset envelope, 0 when nothing repeats.</summary>
    public double RepetitionPeriodSeconds { get; init; }

    /// <summary>Normalised autocorrelation at <see cref="RepetitionPeriodSeconds"/> (0 … 1).</summary>
    public double RepetitionStrength { get; init; }

    /// <summary>Period of a slow loudness swell (1–5 s), 0 when none is clear.</summary>
    public double SwellPeriodSeconds { get; init; }

    /// <summary>Rate of a fast amplitude flutter (5–40 Hz, e.g. rotor blades, engines), 0 when none is clear.</summary>
    public double FlutterHz { get; init; }

    /// <summary>Normalised autocorrelation of the 5 ms envelope at the flutter period (0 … 1).</summary>
    public double FlutterStrength { get; init; }

    /// <summary>Active level minus noise floor: small for sustained sounds (engines, rain), large for events in quiet.</summary>
    public double DynamicRangeDb => ActiveLevelDb - NoiseFloorDb;

    /// <summary>Measures a clip.</summary>
    public static AcousticDescriptors Measure(AudioBuffer audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return new DescriptorMeasurement(audio.Samples, audio.SampleRate).Run();
    }
}

/// <summary>The frame analysis behind <see cref="AcousticDescriptors.Measure"/>.</summary>
internal sealed class DescriptorMeasurement
{
    private const double Floor = 1e-10;

    /// <summary>Autocorrelation peak from which a frame counts as pitched.</summary>
    internal const double VoicedPeak = 0.5;
    private readonly float[] _samples;
    private readonly int _rate;
    private readonly int _frame;
    private readonly int _hop;

    public DescriptorMeasurement(float[] samples, int rate)
    {
        _samples = samples;
        _rate = rate;
        // ~32 ms frames: long enough for pitch down to ~80 Hz, short enough for onsets.
        _frame = (int)Math.Max(256, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(0.032 * rate)));
        _hop = _frame / 4;
    }

    public AcousticDescriptors Run()
    {
        var duration = (double)_samples.Length / _rate;
        var frameCount = _samples.Length < _frame ? 1 : 1 + ((_samples.Length - _frame) / _hop);
        var bins = (_frame / 2) + 1;
        var fft = new RealFft(_frame);
        var window = new float[_frame];
        for (var i = 0; i < _frame; i++)
        {
            window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / (_frame - 1))));
        }

        var input = new float[_frame];
        var power = new float[bins];
        var previousLogMagnitude = new float[bins];
        var levelDb = new double[frameCount];
        var centroid = new double[frameCount];
        var flatness = new double[frameCount];
        var lowRatio = new double[frameCount];
        var energy = new double[frameCount];
        var flux = new double[frameCount];
        var binHz = (double)_rate / _frame;
        var lowBin = Math.Max(1, (int)(50 / binHz));
        var highBin = Math.Min(bins - 1, (int)(Math.Min(8000, _rate / 2.0) / binHz));
        var lowCut = (int)(250 / binHz);

        for (var f = 0; f < frameCount; f++)
        {
            var start = f * _hop;
            double sumSquares = 0;
            for (var i = 0; i < _frame; i++)
            {
                var s = start + i < _samples.Length ? _samples[start + i] : 0f;
                sumSquares += s * s;
                input[i] = s * window[i];
            }

            energy[f] = sumSquares / _frame;
            levelDb[f] = 10 * Math.Log10(energy[f] + Floor);
            fft.PowerSpectrum(input, power, false);

            double total = 0, weighted = 0, logSum = 0, low = 0, rise = 0;
            for (var b = lowBin; b <= highBin; b++)
            {
                double p = power[b] + Floor;
                total += p;
                weighted += p * b * binHz;
                logSum += Math.Log(p);
                if (b <= lowCut)
                {
                    low += p;
                }

                var logMagnitude = (float)Math.Log(1 + (1000 * Math.Sqrt(power[b])));
                var delta = logMagnitude - previousLogMagnitude[b];
                if (delta > 0 && f > 0)
                {
                    rise += delta;
                }

                previousLogMagnitude[b] = logMagnitude;
            }

            var count = highBin - lowBin + 1;
            centroid[f] = weighted / total;
            flatness[f] = Math.Exp(logSum / count) / (total / count);
            lowRatio[f] = low / total;
            flux[f] = rise / count;
        }

        var sortedLevels = levelDb.Order().ToArray();
        var floorDb = Percentile(sortedLevels, 0.10);
        var activeDb = Percentile(sortedLevels, 0.90);
        var threshold = Math.Max(floorDb + 6, activeDb - 30);
        var active = new bool[frameCount];
        var activeCount = 0;
        for (var f = 0; f < frameCount; f++)
        {
            active[f] = levelDb[f] >= threshold;
            activeCount += active[f] ? 1 : 0;
        }

        if (activeCount == 0)
        {
            // A flat signal: treat every frame as active so the averages still describe it.
            Array.Fill(active, true);
            activeCount = frameCount;
        }

        double energySum = 0, centroidSum = 0, flatSum = 0, lowSum = 0;
        for (var f = 0; f < frameCount; f++)
        {
            if (!active[f])
            {
                continue;
            }

            energySum += energy[f];
            centroidSum += energy[f] * centroid[f];
            lowSum += energy[f] * lowRatio[f];
            flatSum += flatness[f];
        }

        var quiet = Enumerable.Range(0, frameCount).Where(f => levelDb[f] <= Percentile(sortedLevels, 0.25)).ToArray();
        var backgroundCentroid = quiet.Length > 0 ? quiet.Average(f => centroid[f]) : centroid.Average();

        var (harmonicity, voicedFraction, pitch, spread) = MeasurePitch(active);
        var hopSeconds = (double)_hop / _rate;
        var onsets = PickOnsets(flux, hopSeconds);
        var (attack, decay) = MeasureEnvelope(levelDb, onsets, hopSeconds);
        var (period, strength) = Repetition(flux, hopSeconds, 0.12, Math.Min(2.5, duration / 2));
        var (swell, swellStrength) = Repetition(levelDb.Select(d => Math.Max(d, floorDb)).ToArray(), hopSeconds, 1.0, Math.Min(5.0, duration / 2));
        var (flutter, flutterStrength) = MeasureFlutter();

        return new AcousticDescriptors
        {
            DurationSeconds = duration,
            ActiveLevelDb = activeDb,
            NoiseFloorDb = floorDb,
            ActiveFraction = (double)activeCount / frameCount,
            CentroidHz = energySum > 0 ? centroidSum / energySum : 0,
            BackgroundCentroidHz = backgroundCentroid,
            Flatness = flatSum / activeCount,
            LowEnergyRatio = energySum > 0 ? lowSum / energySum : 0,
            Harmonicity = harmonicity,
            VoicedFraction = voicedFraction,
            PitchHz = pitch,
            PitchSpreadSemitones = spread,
            OnsetCount = onsets.Count,
            OnsetRate = onsets.Count / Math.Max(duration, 1e-3),
            AttackSeconds = attack,
            DecaySeconds = decay,
            RepetitionPeriodSeconds = strength >= 0.3 && onsets.Count >= 3 ? period : 0,
            RepetitionStrength = strength,
            SwellPeriodSeconds = swellStrength >= 0.4 ? swell : 0,
            FlutterHz = flutter,
            FlutterStrength = flutterStrength,
        };
    }

    private (double Harmonicity, double VoicedFraction, double Pitch, double Spread) MeasurePitch(bool[] active)
    {
        // Pitch frames are twice the analysis frame so the lowest pitch (80 Hz) fits several periods.
        var pitchFrame = 2 * _frame;
        var minLag = Math.Max(2, _rate / 1600);
        var maxLag = Math.Min(pitchFrame / 2, _rate / 80);
        var peaks = new List<double>();
        var pitches = new List<double>();
        // Autocorrelation through the power spectrum of a zero-padded frame: O(n log n) instead of O(n·lags).
        var size = 2 * pitchFrame;
        var fft = new RealFft(size);
        var padded = new float[size];
        var re = new float[size];
        var im = new float[size];
        var acfRaw = new float[size];
        var acf = new double[maxLag + 1];
        for (var f = 0; f < active.Length; f += 2)
        {
            if (!active[f])
            {
                continue;
            }

            var start = f * _hop;
            if (start + pitchFrame > _samples.Length)
            {
                break;
            }

            Array.Clear(padded);
            _samples.AsSpan(start, pitchFrame).CopyTo(padded);
            fft.Direct(padded, re, im);
            for (var b = 0; b < re.Length; b++)
            {
                re[b] = (re[b] * re[b]) + (im[b] * im[b]);
                im[b] = 0;
            }

            fft.Inverse(re, im, acfRaw);
            double zero = acfRaw[0];
            if (zero <= Floor)
            {
                continue;
            }

            for (var lag = minLag; lag <= maxLag; lag++)
            {
                // Biased normalisation on purpose: the unbiased one inflates long lags of noise into false pitch.
                acf[lag] = acfRaw[lag] / zero;
            }

            var bestLag = 0;
            var best = 0.0;
            for (var lag = minLag + 1; lag < maxLag; lag++)
            {
                if (acf[lag] > acf[lag - 1] && acf[lag] >= acf[lag + 1] && acf[lag] > best)
                {
                    best = acf[lag];
                    bestLag = lag;
                }
            }

            peaks.Add(Math.Clamp(best, 0, 1));
            if (best >= VoicedPeak && bestLag > 0)
            {
                // Parabolic interpolation around the peak: whole-sample lags alone are ~5 % coarse at 1 kHz.
                var curvature = acf[bestLag - 1] - (2 * acf[bestLag]) + acf[bestLag + 1];
                var offset = curvature < 0 ? 0.5 * (acf[bestLag - 1] - acf[bestLag + 1]) / curvature : 0;
                pitches.Add(_rate / (bestLag + Math.Clamp(offset, -0.5, 0.5)));
            }
        }

        if (peaks.Count == 0)
        {
            return (0, 0, 0, 0);
        }

        var harmonicity = Percentile(peaks.Order().ToArray(), 0.5);
        var voiced = (double)pitches.Count / peaks.Count;
        if (pitches.Count == 0)
        {
            return (harmonicity, voiced, 0, 0);
        }

        var sorted = pitches.Order().ToArray();
        var median = Percentile(sorted, 0.5);
        var spread = 12 * Math.Log2(Percentile(sorted, 0.75) / Percentile(sorted, 0.25));
        return (harmonicity, voiced, median, spread);
    }

    private static List<int> PickOnsets(double[] flux, double hopSeconds)
    {
        var onsets = new List<int>();
        if (flux.Length < 3)
        {
            return onsets;
        }

        var sorted = flux.Order().ToArray();
        var median = Percentile(sorted, 0.5);
        var spread = Percentile(sorted, 0.9) - median;
        var half = Math.Max(1, (int)(0.25 / hopSeconds));
        var minGap = Math.Max(1, (int)(0.06 / hopSeconds));
        var last = -minGap;
        for (var f = 1; f < flux.Length - 1; f++)
        {
            if (flux[f] < flux[f - 1] || flux[f] < flux[f + 1])
            {
                continue;
            }

            // A peak must stand out from its own neighbourhood as well as from the whole clip.
            double local = 0;
            var n = 0;
            for (var k = Math.Max(0, f - half); k <= Math.Min(flux.Length - 1, f + half); k++)
            {
                local += flux[k];
                n++;
            }

            local /= n;
            if (flux[f] > median + (1.5 * spread) && flux[f] > 1.8 * local && f - last >= minGap)
            {
                onsets.Add(f);
                last = f;
            }
        }

        return onsets;
    }

    private static (double Attack, double Decay) MeasureEnvelope(double[] levelDb, List<int> onsets, double hopSeconds)
    {
        if (onsets.Count == 0)
        {
            return (0, 0);
        }

        var attacks = new List<double>();
        var decays = new List<double>();
        var reach = Math.Max(2, (int)(0.3 / hopSeconds));
        var decayReach = Math.Max(2, (int)(1.0 / hopSeconds));
        foreach (var onset in onsets)
        {
            var peak = onset;
            for (var f = onset; f < Math.Min(levelDb.Length, onset + reach); f++)
            {
                if (levelDb[f] > levelDb[peak])
                {
                    peak = f;
                }
            }

            attacks.Add((peak - onset) * hopSeconds);
            var end = peak;
            while (end < levelDb.Length - 1 && end - peak < decayReach && levelDb[end] > levelDb[peak] - 20)
            {
                end++;
            }

            decays.Add((end - peak) * hopSeconds);
        }

        return (Percentile(attacks.Order().ToArray(), 0.5), Percentile(decays.Order().ToArray(), 0.5));
    }

    /// <summary>Strongest normalised autocorrelation peak of <paramref name="signal"/> between two periods.</summary>
    private static (double Period, double Strength) Repetition(double[] signal, double stepSeconds, double minPeriod, double maxPeriod)
    {
        var minLag = Math.Max(1, (int)Math.Round(minPeriod / stepSeconds));
        var maxLag = Math.Min(signal.Length - 2, (int)Math.Round(maxPeriod / stepSeconds));
        if (maxLag <= minLag + 1)
        {
            return (0, 0);
        }

        var mean = signal.Average();
        var centred = signal.Select(v => v - mean).ToArray();
        var zero = centred.Sum(v => v * v);
        if (zero <= Floor)
        {
            return (0, 0);
        }

        var acf = new double[maxLag + 2];
        for (var lag = minLag - 1; lag <= maxLag + 1 && lag < centred.Length; lag++)
        {
            double sum = 0;
            for (var i = 0; i + lag < centred.Length; i++)
            {
                sum += centred[i] * centred[i + lag];
            }

            acf[lag] = sum / zero * centred.Length / (centred.Length - lag);
        }

        var peaks = new List<int>();
        for (var lag = minLag; lag <= maxLag; lag++)
        {
            if (acf[lag] > acf[lag - 1] && acf[lag] >= acf[lag + 1])
            {
                peaks.Add(lag);
            }
        }

        if (peaks.Count == 0)
        {
            return (0, 0);
        }

        // Multiples of the true period peak too (and are inflated by the unbiased normalisation), so take
        // the shortest lag whose peak comes close to the highest one.
        var highest = peaks.Max(l => acf[l]);
        if (highest <= 0)
        {
            return (0, 0);
        }

        var chosen = peaks.First(l => acf[l] >= 0.85 * highest);
        return (chosen * stepSeconds, Math.Clamp(acf[chosen], 0, 1));
    }

    /// <summary>Amplitude flutter 5–40 Hz from a 5 ms RMS envelope (rotors, engines, purring).</summary>
    private (double Hz, double Strength) MeasureFlutter()
    {
        var step = Math.Max(1, _rate / 200);
        var count = _samples.Length / step;
        if (count < 40)
        {
            return (0, 0);
        }

        var envelope = new double[count];
        for (var i = 0; i < count; i++)
        {
            double sum = 0;
            for (var k = 0; k < step; k++)
            {
                var s = _samples[(i * step) + k];
                sum += s * s;
            }

            envelope[i] = Math.Sqrt(sum / step);
        }

        var stepSeconds = (double)step / _rate;
        var (period, strength) = Repetition(envelope, stepSeconds, 1.0 / 40, 1.0 / 5);
        return strength >= 0.35 && period > 0 ? (1 / period, strength) : (0, strength);
    }

    private static double Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(sorted.Length - 1, lower + 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}
