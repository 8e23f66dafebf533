using Synthio.Audio;
using Synthio.Generation;

namespace Synthio.Core.Tests;

public class SegmentTests
{
    /// <summary>Tone bursts of <paramref name="burstSeconds"/> at the given onsets over noise 50 dB down.</summary>
    internal static AudioBuffer Bursts(int rate, double seconds, double[] onsets, double burstSeconds, double hz)
    {
        var samples = new float[(int)(seconds * rate)];
        var noise = 12345u;
        for (var i = 0; i < samples.Length; i++)
        {
            noise = (noise * 1664525u) + 1013904223u;
            samples[i] = ((noise >> 9) / (float)(1 << 23) - 1f) * 0.002f;
        }

        foreach (var onset in onsets)
        {
            var start = (int)(onset * rate);
            var length = (int)(burstSeconds * rate);
            for (var i = 0; i < length && start + i < samples.Length; i++)
            {
                var envelope = Math.Sin(Math.PI * i / length);
                samples[start + i] += (float)(0.5 * envelope * Math.Sin(2 * Math.PI * hz * i / rate));
            }
        }

        return new AudioBuffer(samples, rate);
    }

    [Fact]
    public void FindsEachBurstAtItsPlace()
    {
        var onsets = new[] { 0.4, 1.5, 2.2, 3.6 };
        var segments = EventSegmenter.Analyse(Bursts(16000, 5.0, onsets, 0.2, 1000));
        Assert.False(segments.IsTexture);
        Assert.Equal(onsets.Length, segments.Events.Count);
        for (var i = 0; i < onsets.Length; i++)
        {
            var start = segments.Events[i].Start / 16000.0;
            var end = segments.Events[i].End / 16000.0;
            Assert.InRange(onsets[i], start - 0.05, start + 0.08);
            Assert.InRange(onsets[i] + 0.2, end - 0.1, end + 0.02);
        }

        Assert.NotEmpty(segments.Quiet);
        Assert.All(segments.Quiet, q => Assert.DoesNotContain(segments.Events, e => e.Start < q.End && q.Start < e.End));
    }

    [Fact]
    public void SteadyNoiseIsATexture()
    {
        var rate = 16000;
        var samples = new float[rate * 3];
        var state = 7u;
        for (var i = 0; i < samples.Length; i++)
        {
            state = (state * 1664525u) + 1013904223u;
            samples[i] = ((state >> 9) / (float)(1 << 23) - 1f) * 0.3f;
        }

        var segments = EventSegmenter.Analyse(new AudioBuffer(samples, rate));
        Assert.True(segments.IsTexture);
    }

    [Fact]
    public void LongSoundsAreCutIntoBoundedEvents()
    {
        var segments = EventSegmenter.Analyse(Bursts(16000, 8.0, [0.5], 6.0, 440));
        Assert.True(segments.Events.Count >= 3);
        Assert.All(segments.Events, e => Assert.True(e.Length <= (int)(2.5 * 16000)));
    }

    [Fact]
    public void SilenceAndTinyClipsDoNotThrow()
    {
        Assert.Empty(EventSegmenter.Analyse(new AudioBuffer(new float[16000], 16000)).Events);
        Assert.True(EventSegmenter.Analyse(new AudioBuffer(new float[10], 16000)).IsTexture);
    }
}
