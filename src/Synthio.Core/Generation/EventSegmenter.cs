using Synthio.Audio;

namespace Synthio.Generation;

/// <summary>A stretch of a clip, in samples.</summary>
public readonly record struct AudioSegment(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>What the segmenter found in one clip: its sound events, its quiet stretches, and whether it is a texture.</summary>
/// <param name="Events">Onset-to-decay stretches that stand out from the clip's noise floor.</param>
/// <param name="Quiet">Stretches near the noise floor, long enough to serve as background.</param>
/// <param name="IsTexture">
/// True when the clip has no separable events (steady rain, engines, crackling fire): it is then used
/// whole, in chunks, rather than as events over a background.
/// </param>
/// <param name="FloorDb">The clip's noise floor (10th percentile of frame energy), dB re full scale.</param>
/// <param name="PeakDb">The loud end of frame energy (99th percentile), dB re full scale.</param>
public sealed record ClipSegments(
    IReadOnlyList<AudioSegment> Events,
    IReadOnlyList<AudioSegment> Quiet,
    bool IsTexture,
    double FloorDb,
    double PeakDb);

/// <summary>
/// Finds sound events by frame energy against the clip's own noise floor: frames more than a
/// threshold above the floor are active, short gaps are bridged, and each run is padded with a short
/// pre-roll and a decay tail. Clips whose energy barely varies, or that are active most of the time,
/// are textures.
/// </summary>
public static class EventSegmenter
{
    private const double FrameSeconds = 0.020;
    private const double HopSeconds = 0.010;
    private const double MinimumDynamicRangeDb = 10.0;
    private const double TextureCoverage = 0.6;
    private const double MergeGapSeconds = 0.10;
    private const double PreRollSeconds = 0.02;
    private const double TailSeconds = 0.08;
    private const double MinimumEventSeconds = 0.06;
    private const double MaximumEventSeconds = 2.5;
    private const double MinimumQuietSeconds = 0.25;
    private const double QuietMarginSeconds = 0.1;

    public static ClipSegments Analyse(AudioBuffer audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var rate = audio.SampleRate;
        var frame = Math.Max(1, (int)(FrameSeconds * rate));
        var hop = Math.Max(1, (int)(HopSeconds * rate));
        var samples = audio.Samples;
        if (samples.Length < frame)
        {
            return new ClipSegments(Array.Empty<AudioSegment>(), Array.Empty<AudioSegment>(), true, -120, -120);
        }

        var frames = 1 + ((samples.Length - frame) / hop);
        var energy = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            var rms = SignalKernels.Rms(samples.AsSpan(f * hop, frame));
            energy[f] = 20 * Math.Log10(rms + 1e-6);
        }

        var sorted = (double[])energy.Clone();
        Array.Sort(sorted);
        var floor = sorted[(int)(0.10 * (frames - 1))];
        var peak = sorted[(int)(0.99 * (frames - 1))];
        var range = peak - floor;
        var threshold = floor + Math.Max(6.0, 0.4 * range);
        var quietThreshold = floor + Math.Min(6.0, 0.25 * range);

        var active = RunsWhere(energy, e => e >= threshold, (int)(MergeGapSeconds / HopSeconds));
        var quietRuns = RunsWhere(energy, e => e <= quietThreshold, 2);

        var activeFrames = active.Sum(r => r.Length);
        var isTexture = range < MinimumDynamicRangeDb || activeFrames > TextureCoverage * frames;

        var events = new List<AudioSegment>();
        var maxEvent = (int)(MaximumEventSeconds * rate);
        foreach (var run in active)
        {
            var start = Math.Max(0, (run.Start * hop) - (int)(PreRollSeconds * rate));
            var end = Math.Min(samples.Length, (run.End * hop) + frame + (int)(TailSeconds * rate));
            if (end - start < MinimumEventSeconds * rate)
            {
                continue;
            }

            // Long runs are cut into pieces so one event cannot fill a whole generated clip.
            for (var s = start; s < end; s += maxEvent)
            {
                var length = Math.Min(maxEvent, end - s);
                if (length >= MinimumEventSeconds * rate)
                {
                    events.Add(new AudioSegment(s, length));
                }
            }
        }

        var quiet = new List<AudioSegment>();
        foreach (var run in quietRuns)
        {
            // Keep clear of the events' pre-roll and tails.
            var margin = (int)(QuietMarginSeconds * rate);
            var start = (run.Start * hop) + (run.Start == 0 ? 0 : margin);
            var end = Math.Min(samples.Length, (run.End * hop) + frame - margin);
            if (end - start >= MinimumQuietSeconds * rate)
            {
                quiet.Add(new AudioSegment(start, end - start));
            }
        }

        return new ClipSegments(events, quiet, isTexture, floor, peak);
    }

    /// <summary>Runs of frames (start, length) meeting the predicate, bridging gaps up to <paramref name="bridge"/> frames.</summary>
    private static List<AudioSegment> RunsWhere(double[] energy, Func<double, bool> predicate, int bridge)
    {
        var runs = new List<AudioSegment>();
        var start = -1;
        var lastActive = -1;
        for (var f = 0; f < energy.Length; f++)
        {
            if (!predicate(energy[f]))
            {
                continue;
            }

            if (start >= 0 && f - lastActive - 1 <= bridge)
            {
                lastActive = f;
                continue;
            }

            if (start >= 0)
            {
                runs.Add(new AudioSegment(start, lastActive - start + 1));
            }

            start = f;
            lastActive = f;
        }

        if (start >= 0)
        {
            runs.Add(new AudioSegment(start, lastActive - start + 1));
        }

        return runs;
    }
}
