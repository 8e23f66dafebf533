using System.IO.Compression;
using Synthio.Diagnostics;
using Synthio.Features;
using Synthio.Tests;
using Synthio.Training;

namespace Synthio.Core.Tests;

public class ClassifierTests
{
    private static readonly (string Label, double Frequency)[] Tones = { ("low", 220), ("mid", 880), ("high", 3000) };

    [Fact]
    public void Saved_model_predicts_the_trained_label_of_training_clips_from_wav_files()
    {
        using var temp = new TempDirectory();
        var embedder = new SpectralStatisticsEmbedder();
        var data = new List<TrainingExample>();
        var files = new List<(string Path, string Label)>();
        foreach (var (label, frequency) in Tones)
        {
            for (var i = 0; i < 4; i++)
            {
                var path = TrainingToyData.WriteTone(temp.Combine(label, $"{i}.wav"), frequency * (1 + (0.01 * i)), seed: i);
                files.Add((path, label));
                data.Add(TrainingExample.Gold(embedder.Embed(Synthio.Audio.WavFile.ReadMono(path)), label, path));
            }
        }

        var search = TrainerSearch.Run(data, new TrainerSearchOptions { MaxTrials = 5, Seed = 0 }, new CollectingReporter());
        var modelPath = temp.Combine("out", "model.zip");
        new SynthioClassifier(search.Model, FeatureSettings.Default, search.BestTrainer, search.BestParameters).Save(modelPath);

        var loaded = SynthioClassifier.Load(modelPath);
        Assert.Equal(new[] { "high", "low", "mid" }, loaded.Labels);
        Assert.Equal(search.BestTrainer, loaded.Trainer);
        foreach (var (path, label) in files)
        {
            var prediction = loaded.Predict(path);
            Assert.Equal(label, prediction.Label);
            Assert.Equal(3, prediction.Scores.Count);
            Assert.Equal(prediction.Scores.MaxBy(s => s.Value).Key, prediction.Label);
        }

        // A tone the model never heard, near a trained one, lands on that label.
        var unseen = TrainingToyData.WriteTone(temp.Combine("unseen.wav"), 2950, seed: 99);
        Assert.Equal("high", loaded.Predict(unseen).Label);
    }

    [Fact]
    public void A_saved_model_carries_no_time_of_saving()
    {
        using var temp = new TempDirectory();
        var result = TrainerSearch.Run(
            TrainingToyData.Clusters(labels: 3, perLabel: 4, dimension: new SpectralStatisticsEmbedder().Dimension, childrenPerGold: 0, seed: 1),
            new TrainerSearchOptions { MaxTrials = 1, Seed = 0, Folds = 3 },
            new CollectingReporter());
        var path = temp.Combine("model.zip");
        new SynthioClassifier(result.Model, FeatureSettings.Default, result.BestTrainer, result.BestParameters).Save(path);

        using var outer = ZipFile.OpenRead(path);
        var times = new List<DateTimeOffset>();
        foreach (var entry in outer.Entries)
        {
            times.Add(entry.LastWriteTime);
            if (entry.FullName.EndsWith(".zip", StringComparison.Ordinal))
            {
                using var inner = new ZipArchive(entry.Open(), ZipArchiveMode.Read);
                times.AddRange(inner.Entries.Select(e => e.LastWriteTime));
            }
        }

        // ML.NET's own zip inside is rewritten too: its entries are stamped with the time of saving.
        Assert.True(times.Count > 3, $"{times.Count} entries");
        Assert.All(times, t => Assert.Equal(2000, t.Year));
    }

    [Fact]
    public void A_long_recording_is_classified_window_by_window()
    {
        using var temp = new TempDirectory();
        var embedder = new SpectralStatisticsEmbedder();
        var data = Tones.SelectMany(t => Enumerable.Range(0, 4).Select(i =>
        {
            var path = TrainingToyData.WriteTone(temp.Combine(t.Label, $"{i}.wav"), t.Frequency * (1 + (0.01 * i)), seed: i, seconds: 1);
            return TrainingExample.Gold(embedder.Embed(Synthio.Audio.WavFile.ReadMono(path)), t.Label, path);
        })).ToList();
        var search = TrainerSearch.Run(data, new TrainerSearchOptions { MaxTrials = 3, Seed = 0 }, new CollectingReporter());
        var classifier = new SynthioClassifier(search.Model, FeatureSettings.Default, search.BestTrainer, search.BestParameters);

        // 2 s low, 1 s of silence, 2 s high, 1.3 s mid: 6.3 s.
        Synthio.Audio.AudioBuffer Tone(double hz, double seconds, int seed) => Synthio.Audio.WavFile.ReadMono(TrainingToyData.WriteTone(temp.Combine($"part-{seed}.wav"), hz, seed, seconds));
        var parts = new[] { Tone(220, 2, 10), new Synthio.Audio.AudioBuffer(new float[16000], 16000), Tone(3000, 2, 11), Tone(880, 1.3, 12) };
        var recording = new Synthio.Audio.AudioBuffer(parts.SelectMany(p => p.Samples).ToArray(), 16000);

        var windows = classifier.PredictWindows(recording, windowSeconds: 1);
        var halves = classifier.PredictWindows(recording, windowSeconds: 1, hopSeconds: 0.5);

        // Back to back, plus one ending at the end: 0.3 s would otherwise go unheard.
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5, 5.3 }, windows.Select(w => Math.Round(w.StartSeconds, 3)));
        Assert.All(windows, w => Assert.Equal(1.0, w.EndSeconds - w.StartSeconds, 6));
        Assert.Equal(new[] { "low", "low", null, "high", "high", "mid", "mid" }, windows.Select(w => w.Prediction?.Label));
        Assert.Equal(12, halves.Count); // 0, 0.5, … 5.0, then 5.3
        Assert.Equal(6.3, halves[^1].EndSeconds, 6);
        Assert.Equal("low", halves[2].Prediction?.Label); // 1.0–2.0 s
        Assert.Single(classifier.PredictWindows(Tone(880, 0.5, 13), windowSeconds: 1)); // shorter than a window: one window
        Assert.Throws<ArgumentOutOfRangeException>(() => classifier.PredictWindows(recording, windowSeconds: 0));
    }

    [Fact]
    public void Missing_model_file_has_its_own_code()
    {
        var ex = Assert.Throws<SynthioException>(() => SynthioClassifier.Load(Path.Combine(Path.GetTempPath(), $"no-model-{Guid.NewGuid():N}.zip")));
        Assert.Equal(DiagnosticCodes.ModelNotFound, ex.Code);
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_reported_as_invalid()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.zip");
        File.WriteAllText(path, "not a zip");
        var ex = Assert.Throws<SynthioException>(() => SynthioClassifier.Load(path));
        Assert.Equal(DiagnosticCodes.ModelInvalid, ex.Code);
    }
}
