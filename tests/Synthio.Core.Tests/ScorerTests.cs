using Synthio.Features;
using Synthio.Filtering;
using Synthio.Generation;
using Synthio.Language;
using Xunit.Abstractions;

namespace Synthio.Core.Tests;

public class ScorerTests : IClassFixture<GenerationTestMaterial>
{
    private const double Threshold = 0.85;
    private readonly GenerationTestMaterial _material;
    private readonly ITestOutputHelper _output;

    public ScorerTests(GenerationTestMaterial material, ITestOutputHelper output)
    {
        _material = material;
        _output = output;
    }

    private static EmbeddedLabelScorer FitOn(IReadOnlyDictionary<string, IReadOnlyList<GoldClip>> material, IAudioEmbedder? embedder = null) =>
        EmbeddedLabelScorer.Fit(
            embedder ?? new LabelScorerEmbedder(),
            material.SelectMany(kv => kv.Value.Select(c => new ScorerTrainingClip(kv.Key, c.Audio, c.Id))).ToArray());

    [Fact]
    public async Task GoldClipsOfTheLabelScoreAboveTheThreshold()
    {
        var scorer = FitOn(_material.Training);
        _output.WriteLine($"temperature {scorer.Temperature:F3}, held-out (leave-one-out) accuracy {scorer.HeldOutAccuracy:P1} over {scorer.HeldOutCount} clips");
        var trainingScores = new List<double>();
        var heldOutScores = new List<double>();
        foreach (var label in _material.Labels)
        {
            var train = new List<double>();
            foreach (var clip in _material.Training[label])
            {
                train.Add(await scorer.ScoreAsync(clip.Audio, label));
            }

            var held = new List<double>();
            foreach (var clip in _material.HeldOut[label])
            {
                held.Add(await scorer.ScoreAsync(clip.Audio, label));
            }

            trainingScores.AddRange(train);
            heldOutScores.AddRange(held);
            _output.WriteLine($"{label,-16} training gold {string.Join(" ", train.Select(s => s.ToString("F2")))} | held-out gold (fold 5) {string.Join(" ", held.Select(s => s.ToString("F2")))}");
        }

        _output.WriteLine($"training gold: mean {trainingScores.Average():F3}, {trainingScores.Count(s => s >= Threshold)}/{trainingScores.Count} >= {Threshold}");
        _output.WriteLine($"held-out gold: mean {heldOutScores.Average():F3}, {heldOutScores.Count(s => s >= Threshold)}/{heldOutScores.Count} >= {Threshold}");
        Assert.All(trainingScores, s => Assert.InRange(s, Threshold, 1.0));
    }
}
