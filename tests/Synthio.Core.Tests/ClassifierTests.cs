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
