using NWaves.Transforms;
using Synthio.Audio;
using Synthio.Features;

namespace Synthio.Filtering;

/// <summary>
/// The embedded scorer's default features: a richer summary than the classifier's MFCC statistics,
/// because the filter must tell labels apart from a handful of clips. Per clip: log-mel band means and
/// standard deviations (level-normalised), mean absolute band change between frames (texture vs
/// events), spectral centroid, roll-off, flatness and zero-crossing rate (mean and spread), frame-level
/// percentiles, onset rate and overall level.
/// </summary>
public sealed class LabelScorerEmbedder : IAudioEmbedder
{
    private const string Version = "1";
    private const int Bands = 32;
    private const double FrameSeconds = 0.032;
    private const double HopSeconds = 0.016;
    private const double MinHz = 40;
    private const double MaxHz = 8000;

    public string Identity => $"label-scorer-features/{Version}/{Bands}";

    public int Dimension => (Bands * 3) + 8 + 5;

    public float[] Embed(AudioBuffer audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var rate = audio.SampleRate;
        var fftSize = 1 << (int)Math.Ceiling(Math.Log2(FrameSeconds * rate));
        var frame = (int)(FrameSeconds * rate);
        var hop = Math.Max(1, (int)(HopSeconds * rate));
        var samples = audio.Samples;
        var frames = samples.Length < frame ? 1 : 1 + ((samples.Length - frame) / hop);

        var fft = new RealFft(fftSize);
        var window = HannWindow.Periodic(frame);

        var filters = MelFilters(fftSize, rate);
        var input = new float[fftSize];
        var power = new float[(fftSize / 2) + 1];
        var logMel = new double[frames][];
        var centroid = new double[frames];
        var rolloff = new double[frames];
        var flatness = new double[frames];
        var zcr = new double[frames];
        var energyDb = new double[frames];
        var binHz = (double)rate / fftSize;

        for (var f = 0; f < frames; f++)
        {
            Array.Clear(input);
            var start = f * hop;
            var count = Math.Min(frame, samples.Length - start);
            var crossings = 0;
            double energy = 0;
            for (var i = 0; i < count; i++)
            {
                var s = samples[start + i];
                input[i] = s * window[i];
                energy += s * s;
                if (i > 0 && (s >= 0) != (samples[start + i - 1] >= 0))
                {
                    crossings++;
                }
            }

            zcr[f] = count > 1 ? crossings / (double)(count - 1) : 0;
            energyDb[f] = 10 * Math.Log10((energy / Math.Max(1, count)) + 1e-10);
            fft.PowerSpectrum(input, power, normalize: false);

            double total = 0, weighted = 0, logSum = 0;
            for (var k = 1; k < power.Length; k++)
            {
                var p = power[k] + 1e-12;
                total += p;
                weighted += p * k * binHz;
                logSum += Math.Log(p);
            }

            centroid[f] = total > 0 ? weighted / total / 1000.0 : 0;
            flatness[f] = Math.Exp(logSum / (power.Length - 1)) / (total / (power.Length - 1));
            double cumulative = 0;
            var rollBin = power.Length - 1;
            for (var k = 1; k < power.Length; k++)
            {
                cumulative += power[k];
                if (cumulative >= 0.85 * total)
                {
                    rollBin = k;
                    break;
                }
            }

            rolloff[f] = rollBin * binHz / 1000.0;
            var bands = new double[Bands];
            for (var b = 0; b < Bands; b++)
            {
                double sum = 0;
                foreach (var (bin, weight) in filters[b])
                {
                    sum += power[bin] * weight;
                }

                bands[b] = Math.Log(sum + 1e-10);
            }

            logMel[f] = bands;
        }

        // Level-normalise the bands so the shape, not the recording level, describes the sound.
        var level = logMel.Average(b => b.Average());
        var vector = new List<float>(Dimension);
        for (var b = 0; b < Bands; b++)
        {
            var (mean, std) = MeanStd(logMel.Select(m => m[b] - level));
            vector.Add((float)mean);
            vector.Add((float)std);
        }

        for (var b = 0; b < Bands; b++)
        {
            double change = 0;
            for (var f = 1; f < frames; f++)
            {
                change += Math.Abs(logMel[f][b] - logMel[f - 1][b]);
            }

            vector.Add((float)(frames > 1 ? change / (frames - 1) : 0));
        }

        foreach (var series in new[] { centroid, rolloff, flatness, zcr })
        {
            var (mean, std) = MeanStd(series);
            vector.Add((float)mean);
            vector.Add((float)std);
        }

        var sorted = (double[])energyDb.Clone();
        Array.Sort(sorted);
        double Percentile(double q) => sorted[(int)(q * (sorted.Length - 1))];
        var median = Percentile(0.5);
        vector.Add((float)(Percentile(0.9) - median));
        vector.Add((float)(median - Percentile(0.1)));
        vector.Add((float)median);

        // Onsets: frames rising more than 6 dB over the previous, per second.
        var onsets = 0;
        for (var f = 1; f < frames; f++)
        {
            if (energyDb[f] - energyDb[f - 1] > 6)
            {
                onsets++;
            }
        }

        vector.Add((float)(onsets / Math.Max(1e-3, audio.DurationSeconds)));
        var active = energyDb.Count(e => e > Percentile(0.1) + 10) / (double)frames;
        vector.Add((float)active);
        return vector.ToArray();
    }

    private static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        double sum = 0, squares = 0;
        var n = 0;
        foreach (var v in values)
        {
            sum += v;
            squares += v * v;
            n++;
        }

        if (n == 0)
        {
            return (0, 0);
        }

        var mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(0, (squares / n) - (mean * mean))));
    }

    /// <summary>Triangular mel filters as (bin, weight) lists.</summary>
    private static (int Bin, double Weight)[][] MelFilters(int fftSize, int rate)
    {
        static double ToMel(double hz) => 2595 * Math.Log10(1 + (hz / 700));
        static double ToHz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);
        var top = Math.Min(MaxHz, rate / 2.0);
        var lowMel = ToMel(MinHz);
        var highMel = ToMel(top);
        var edges = Enumerable.Range(0, Bands + 2).Select(i => ToHz(lowMel + ((highMel - lowMel) * i / (Bands + 1)))).ToArray();
        var binHz = (double)rate / fftSize;
        var filters = new (int, double)[Bands][];
        for (var b = 0; b < Bands; b++)
        {
            var list = new List<(int, double)>();
            for (var k = 1; k <= fftSize / 2; k++)
            {
                var hz = k * binHz;
                var weight = hz <= edges[b + 1] ? (hz - edges[b]) / (edges[b + 1] - edges[b]) : (edges[b + 2] - hz) / (edges[b + 2] - edges[b + 1]);
                if (weight > 0)
                {
                    list.Add((k, weight));
                }
            }

            if (list.Count == 0)
            {
                // Narrow low bands can fall between bins: take the nearest one.
                list.Add((Math.Clamp((int)Math.Round(edges[b + 1] / binHz), 1, fftSize / 2), 1.0));
            }

            filters[b] = list.ToArray();
        }

        return filters;
    }
}
