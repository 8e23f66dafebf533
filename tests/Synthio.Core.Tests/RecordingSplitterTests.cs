using Synthio.Audio;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Tests;

namespace Synthio.Core.Tests;

public class RecordingSplitterTests
{
    /// <summary>1 s of tone, 1 s of silence, 1 s of tone, then <paramref name="tailSeconds"/> of tone, at 8 kHz.</summary>
    private static string WriteRecording(string path, double tailSeconds)
    {
        var tone = AudioTestSignals.Sine(300, 8000, 1).Samples;
        var samples = tone.Concat(new float[8000]).Concat(tone).Concat(AudioTestSignals.Sine(300, 8000, tailSeconds).Samples).ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WavFile.WriteMono(path, new AudioBuffer(samples, 8000));
        return path;
    }

    [Fact]
    public void SegmentsAreWholeNamedByPositionAndSilenceIsLeftOut()
    {
        using var temp = new TempDirectory();
        var recording = WriteRecording(temp.Combine("walk.wav"), tailSeconds: 0.6);

        var split = RecordingSplitter.Split(recording, temp.Combine("data", "dog"), segmentSeconds: 1);

        // Four segments: tone, silence (left out), tone, and the 0.6 s tail, kept whole since it is over half a segment.
        Assert.Equal(new[] { "walk-000.wav", "walk-002.wav", "walk-003.wav" }, split.Segments.Select(Path.GetFileName));
        Assert.Equal(1, split.SilentSkipped);
        Assert.Equal(0, split.LeftOverSeconds);
        Assert.Equal(new[] { 8000, 8000, 4800 }, split.Segments.Select(s => WavFile.ReadMono(s).Length));
        var written = WavFile.ReadMono(split.Segments[0]).Samples;
        Assert.All(AudioTestSignals.Sine(300, 8000, 1).Samples.Select((v, i) => Math.Abs(v - written[i])), d => Assert.True(d <= 1.0 / 32768)); // 16-bit steps
    }

    [Fact]
    public void AShortTailIsLeftOutAndSaidSo()
    {
        using var temp = new TempDirectory();
        var recording = WriteRecording(temp.Combine("walk.wav"), tailSeconds: 0.25);

        var split = RecordingSplitter.Split(recording, temp.Combine("out"), segmentSeconds: 1);

        Assert.Equal(2, split.Segments.Count);
        Assert.Equal(0.25, split.LeftOverSeconds, 6);
    }

    [Fact]
    public void TheGroupPatternKeepsARecordingsSegmentsInOneGroup()
    {
        using var temp = new TempDirectory();
        foreach (var name in new[] { "walk", "park-2" })
        {
            RecordingSplitter.Split(WriteRecording(temp.Combine("raw", $"{name}.wav"), 1), temp.Combine("data", "dog"), 1);
            RecordingSplitter.Split(WriteRecording(temp.Combine("raw", $"{name}-cat.wav"), 1), temp.Combine("data", "cat"), 1);
        }

        var dataset = ClipGroupPattern.Apply(DatasetLoader.Load(temp.Combine("data"), new CollectingReporter()), RecordingSplitter.GroupPattern, new CollectingReporter());

        Assert.Equal(12, dataset.Clips.Count);
        Assert.Equal(new[] { "park-2", "walk" }, dataset.Clips.Where(c => c.Label == "dog").Select(c => c.Group).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "park-2-cat", "walk-cat" }, dataset.Clips.Where(c => c.Label == "cat").Select(c => c.Group).Distinct().Order(StringComparer.Ordinal));
    }
}
