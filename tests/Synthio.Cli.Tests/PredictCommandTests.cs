using System.Text.Json;
using Synthio.Audio;
using Synthio.Tests;

namespace Synthio.Cli.Tests;

public class PredictCommandTests
{
    [Fact]
    public void PredictTakesFoldersAndNamesWhatItCannotFind()
    {
        using var temp = new TempDirectory();
        var data = TrainToneModel(temp);
        Directory.CreateDirectory(temp.Combine("nothing-here"));
        File.WriteAllText(Path.Combine(data, "low", "notes.txt"), "not audio");
        var missing = temp.Combine("missing.wav");

        var predict = CliRunner.Run(temp.Path, "predict", "--model", temp.Combine("model.zip"), data, temp.Combine("nothing-here"), missing, "--log-format", "msbuild");

        // Every WAV file under the folder, in path order, and nothing else; the empty folder and the missing file fail alone.
        Assert.Equal(1, predict.ExitCode);
        var wavs = Directory.GetFiles(data, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var answered = predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf(".wav: ", StringComparison.Ordinal)] + ".wav").ToArray();
        Assert.Equal(wavs, answered);
        Assert.All(wavs.Where(w => w.Contains($"{Path.DirectorySeparatorChar}low{Path.DirectorySeparatorChar}", StringComparison.Ordinal)), w => Assert.Contains($"{w}: low ", predict.Output));
        Assert.Contains($"{temp.Combine("nothing-here")} : error SYN1002 :", predict.Error);
        Assert.Contains($"{missing} : error SYN1001 :", predict.Error);
    }

    [Fact]
    public void WindowsLabelEachStretchOfALongRecordingAndSumItUp()
    {
        using var temp = new TempDirectory();
        var data = TrainToneModel(temp);

        // Two high clips, half a second of silence, then a low clip: 2 s in all.
        var parts = new[] { "high/high-0.wav", "high/high-1.wav", null, "low/low-2.wav" }
            .Select(p => p is null ? new float[8000] : WavFile.ReadMono(Path.Combine(data, p)).Samples);
        var recording = temp.Combine("recording.wav");
        WavFile.WriteMono(recording, new AudioBuffer(parts.SelectMany(s => s).ToArray(), 16000));

        var text = CliRunner.Run(temp.Path, "predict", "--model", temp.Combine("model.zip"), "--window", "0.5", "--top", "1", recording);
        var json = CliRunner.Run(temp.Path, "predict", "--model", temp.Combine("model.zip"), "--window", "0.5", "--hop", "0.25", "--log-format", "json", recording);

        Assert.True(text.ExitCode == 0, text.All);
        var lines = text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = new[]
        {
            $"{recording} [0:00.0-0:00.5]: high (high ",
            $"{recording} [0:00.5-0:01.0]: high (high ",
            $"{recording} [0:01.0-0:01.5]: silent",
            $"{recording} [0:01.5-0:02.0]: low (low ",
            $"{recording}: 4 windows: high in 2, low in 1, silent 1",
        };
        Assert.Equal(expected.Length, lines.Length);
        Assert.All(expected.Zip(lines), pair => Assert.StartsWith(pair.First, pair.Second));
        Assert.True(json.ExitCode == 0, json.All);
        var windows = json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(7, windows.Length); // starts 0, 0.25, … 1.5
        Assert.Equal(new[] { 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5 }, windows.Select(w => w.GetProperty("start").GetDouble()));
        Assert.Equal(JsonValueKind.Null, windows[4].GetProperty("label").ValueKind); // 1.0–1.5 s is silence
        Assert.Equal("low", windows[6].GetProperty("label").GetString());
    }

    [Theory]
    [InlineData("--hop", "1")]
    [InlineData("--window", "0")]
    [InlineData("--window", "-2")]
    public void ABadWindowIsAUsageError(string option, string value)
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));

        var predict = CliRunner.Run(temp.Path, "predict", "--model", temp.Combine("no-model.zip"), option, value, Path.Combine(data, "low", "low-0.wav"));

        Assert.Equal(2, predict.ExitCode);
        Assert.Contains("SYN9001", predict.Error);
        Assert.Contains(option, predict.Error);
    }

    /// <summary>Writes the two-tone dataset to <c>data</c> and trains <c>model.zip</c> from it; returns the dataset folder.</summary>
    private static string TrainToneModel(TempDirectory temp)
    {
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var train = CliRunner.Run(temp.Path, "train", data, "--model", temp.Combine("model.zip"), "--time-budget", "2", "--cache-dir", temp.Combine("cache"));
        Assert.True(train.ExitCode == 0, train.All);
        return data;
    }
}
