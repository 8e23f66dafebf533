using Synthio.Audio;
using Synthio.Tests;

namespace Synthio.Cli.Tests;

public class SplitCommandTests
{
    [Fact]
    public void LongRecordingsBecomeALabelFolderThatTrains()
    {
        using var temp = new TempDirectory();
        var tones = CliRunner.WriteToneDataset(temp.Combine("tones"), clipsPerLabel: 4);

        // One long recording per label: its four half-second tones with half a second of silence after the second.
        foreach (var label in new[] { "low", "high" })
        {
            var parts = Enumerable.Range(0, 4).Select(k => WavFile.ReadMono(Path.Combine(tones, label, $"{label}-{k}.wav")).Samples).ToList();
            parts.Insert(2, new float[8000]);
            Directory.CreateDirectory(temp.Combine("raw", label));
            WavFile.WriteMono(temp.Combine("raw", label, "session.wav"), new AudioBuffer(parts.SelectMany(p => p).ToArray(), 16000));
        }

        var low = CliRunner.Run(temp.Path, "split", temp.Combine("raw", "low"), "--out", temp.Combine("data", "low"), "--seconds", "0.5");
        var high = CliRunner.Run(temp.Path, "split", temp.Combine("raw", "high", "session.wav"), "--out", temp.Combine("data", "high"), "--seconds", "0.5");
        var train = CliRunner.Run(temp.Path, "train", temp.Combine("data"), "--model", temp.Combine("model.zip"), "--time-budget", "2", "--holdout", "0.5", "--group-pattern", "^(.+)-[0-9]+[.]wav$", "--cache-dir", temp.Combine("cache"));

        Assert.True(low.ExitCode == 0, low.All);
        Assert.Contains("session.wav: 4 clips of 0.5 s (1 silent left out)", low.Output);
        Assert.Contains("^(.+)-[0-9]+[.]wav$", low.Output);
        Assert.Equal(new[] { "session-000.wav", "session-001.wav", "session-003.wav", "session-004.wav" }, Directory.GetFiles(temp.Combine("data", "low")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(high.ExitCode == 0, high.All);
        Assert.True(train.ExitCode == 0, train.All);
    }

    [Fact]
    public void AugmentingRecordingsSaysToSplitThemAndTheirClipsDoNot()
    {
        using var temp = new TempDirectory();

        // Two labels of three 24-second recordings each: a tone of the label's pitch in steady noise.
        foreach (var (label, frequency) in new[] { ("low", 220.0), ("high", 1760.0) })
        {
            Directory.CreateDirectory(temp.Combine("raw", label));
            for (var k = 0; k < 3; k++)
            {
                var rng = new Random(k + (int)frequency);
                var samples = new float[16000 * 24];
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = (float)((0.3 * Math.Sin(2 * Math.PI * frequency * (1 + (0.01 * k)) * i / 16000)) + (0.05 * (rng.NextDouble() - 0.5)));
                }

                WavFile.WriteMono(temp.Combine("raw", label, $"take-{k}.wav"), new AudioBuffer(samples, 16000));
            }
        }

        var recordings = CliRunner.Run(temp.Path, "augment", temp.Combine("raw"), "--out", temp.Combine("out-raw"), "--multiplier", "gold-only", "--cache-dir", temp.Combine("cache"), "--log-format", "msbuild");
        Assert.True(recordings.ExitCode == 0, recordings.All);
        Assert.Contains($"{temp.Combine("raw")} : warning SYN1015 : the training clips last 24 s at the median", recordings.Error);
        Assert.Contains("dotnet synthio split", recordings.Error);

        foreach (var label in new[] { "low", "high" })
        {
            var split = CliRunner.Run(temp.Path, "split", temp.Combine("raw", label), "--out", temp.Combine("data", label), "--seconds", "5");
            Assert.True(split.ExitCode == 0, split.All);
        }

        var clips = CliRunner.Run(temp.Path, "augment", temp.Combine("data"), "--out", temp.Combine("out-data"), "--multiplier", "gold-only", "--cache-dir", temp.Combine("cache"), "--log-format", "msbuild");
        Assert.True(clips.ExitCode == 0, clips.All);
        Assert.DoesNotContain("SYN1015", clips.All, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordingsInsideTheOutputAndBadLengthsAreRefused()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));

        var inside = CliRunner.Run(temp.Path, "split", Path.Combine(data, "low"), "--out", data);
        var zero = CliRunner.Run(temp.Path, "split", Path.Combine(data, "low"), "--out", temp.Combine("out"), "--seconds", "0");
        var missing = CliRunner.Run(temp.Path, "split", temp.Combine("nothing.wav"), "--out", temp.Combine("out"));

        Assert.Equal(2, inside.ExitCode);
        Assert.Contains("holds recordings being split", inside.Error);
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("--seconds", zero.Error);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("SYN1001", missing.Error);
    }
}
