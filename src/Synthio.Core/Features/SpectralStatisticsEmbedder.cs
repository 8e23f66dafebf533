using System.Collections.Concurrent;
using System.Text.Json;
using Synthio.Audio;

namespace Synthio.Features;

/// <summary>
/// The embedded <see cref="IAudioEmbedder"/>: the frame tracks of <see cref="SpectralFrameAnalyzer"/> pooled
/// over time into one fixed-length vector, in this order:
/// log-mel bands (mean, std per band); MFCCs (mean, std, 10th, 50th, 90th percentile per coefficient);
/// centroid, bandwidth, roll-off, flatness, zero-crossing rate, RMS dB (mean, std, p10, p50, p90 each);
/// and, when <see cref="FeatureSettings.IncludeDeltas"/> is set, the standard deviation over time of each delta
/// and each delta-delta MFCC. Clips are resampled to <see cref="FeatureSettings.SampleRate"/> first.
/// The same clip gives the same vector on every run. Thread-safe; buffers are pooled and reused.
/// </summary>
public sealed class SpectralStatisticsEmbedder : IAudioEmbedder
{
    /// <summary>Bumped whenever the numbers an input produces change.</summary>
    private const string Version = "2";

    private static readonly double[] Percentiles = [0.10, 0.50, 0.90];

    private readonly SpectralFrameAnalyzer _analyzer;
    private readonly ConcurrentBag<FrameWorkspace> _workspaces = new();

    public SpectralStatisticsEmbedder(FeatureSettings? settings = null)
    {
        Settings = settings ?? FeatureSettings.Default;
        _analyzer = new SpectralFrameAnalyzer(Settings);
        var s = Settings;
        Dimension = (2 * s.MelBands) + ((2 + Percentiles.Length) * (s.MfccCount + SpectralFrameAnalyzer.ScalarTrackCount))
            + (s.IncludeDeltas ? 2 * s.MfccCount : 0);
        Identity = $"{IdentityPrefix}{Version}/{JsonSerializer.Serialize(Settings)}";
    }

    /// <summary>How every identity of these features begins, whatever the version and settings.</summary>
    public const string IdentityPrefix = "spectral-statistics/";

    public FeatureSettings Settings { get; }

    /// <summary>Name, algorithm version and every setting: changes whenever the vectors would.</summary>
    public string Identity { get; }

    public int Dimension { get; }

    public float[] Embed(AudioBuffer audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var workspace = _workspaces.TryTake(out var w) ? w : new FrameWorkspace(_analyzer);
        try
        {
            var frames = _analyzer.Analyze(audio, workspace);
            var vector = new float[Dimension];
            Pool(workspace, frames, vector);
            return vector;
        }
        finally
        {
            _workspaces.Add(workspace);
        }
    }

    private void Pool(FrameWorkspace workspace, int frames, Span<float> vector)
    {
        var tracks = workspace.Tracks.AsSpan(0, _analyzer.TrackCount * frames);
        var sorted = workspace.Sorted.AsSpan(0, frames);
        var s = Settings;
        var position = 0;
        for (var b = 0; b < s.MelBands; b++)
        {
            var (mean, std) = MeanStd(tracks.Slice(b * frames, frames));
            vector[position++] = mean;
            vector[position++] = std;
        }

        var summarised = s.MfccCount + SpectralFrameAnalyzer.ScalarTrackCount;
        for (var t = 0; t < summarised; t++)
        {
            var track = tracks.Slice((_analyzer.MfccTrack + t) * frames, frames);
            var (mean, std) = MeanStd(track);
            vector[position++] = mean;
            vector[position++] = std;
            track.CopyTo(sorted);
            sorted.Sort();
            foreach (var p in Percentiles)
            {
                vector[position++] = Percentile(sorted, p);
            }
        }

        if (s.IncludeDeltas)
        {
            for (var t = 0; t < 2 * s.MfccCount; t++)
            {
                vector[position++] = MeanStd(tracks.Slice((_analyzer.DeltaTrack + t) * frames, frames)).Std;
            }
        }
    }

    // Population mean and standard deviation, accumulated in double precision in a fixed order.
    private static (float Mean, float Std) MeanStd(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        var mean = sum / values.Length;
        double squares = 0;
        foreach (var v in values)
        {
            var d = v - mean;
            squares += d * d;
        }

        return ((float)mean, (float)Math.Sqrt(squares / values.Length));
    }

    // Linear interpolation between order statistics (the usual "linear" percentile definition).
    private static float Percentile(ReadOnlySpan<float> sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var lower = (int)position;
        var upper = Math.Min(sorted.Length - 1, lower + 1);
        var fraction = (float)(position - lower);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * fraction);
    }
}
