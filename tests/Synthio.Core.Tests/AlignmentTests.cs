using Synthio.Filtering;
using Synthio.Generation;
using Synthio.Language;
using Xunit.Abstractions;

namespace Synthio.Core.Tests;

public class AlignmentTests : IClassFixture<GenerationTestMaterial>
{
    /// <summary>Deliberately overdone transforms: the tuner should move away from them.</summary>
    private static readonly GeneratorParameters Extreme = GeneratorParameters.Default with
    {
        PitchSemitones = 10,
        EqualiserChance = 1,
        EqualiserGainDb = 24,
        FilterChance = 1,
        LowPassMinHz = 300,
        HighPassMaxHz = 3000,
        ReverbChance = 1,
        ReverbWetMax = 0.9,
        NoiseBackgroundChance = 1,
        SnrMinDb = -3,
        SnrMaxDb = 3,
    };

    private readonly GenerationTestMaterial _material;
    private readonly ITestOutputHelper _output;

    public AlignmentTests(GenerationTestMaterial material, ITestOutputHelper output)
    {
        _material = material;
        _output = output;
    }

    private Task<PreferenceTuningResult> Tune(GeneratorParameters start, PreferenceTuningOptions options) =>
        PreferenceTuner.TuneAsync(new EmbeddedGenerator(_material.Training, start), _material.Training, _material.Scorer, new LabelScorerEmbedder(), options);

    [Fact]
    public async Task TuningMovesAwayFromOverdoneTransformsAndTheGainHoldsOnFreshClips()
    {
        var options = new PreferenceTuningOptions { Candidates = 4, ClipsPerLabel = 2, MaxLabels = 3, Seed = 3 };
        var result = await Tune(Extreme, options);
        foreach (var c in result.Candidates)
        {
            _output.WriteLine($"utility {c.Utility:F3}  score {c.MeanScore:F3}  accepted {c.AcceptanceRate:P0}  distance {c.DistanceRatio:F2}  spread {c.DiversityRatio:F2}  pitch {c.Parameters.PitchSemitones:F1} eq {c.Parameters.EqualiserGainDb:F1} snr {c.Parameters.SnrMinDb:F1}..{c.Parameters.SnrMaxDb:F1}");
        }

        Assert.False(result.StoppedByBudget);
        Assert.Equal(5, result.Candidates.Count);
        Assert.NotEqual(Extreme, result.Best);
        Assert.True(result.Best.PitchSemitones < Extreme.PitchSemitones);

        // Judge on clips the tuner never saw: other seeds, other captions, all labels.
        var before = await MeanScore(Extreme);
        var after = await MeanScore(result.Best);
        _output.WriteLine($"fresh clips, mean filter score: overdone start {before:F3}, tuned {after:F3}");
        Assert.True(after > before + 0.05);
    }

    private async Task<double> MeanScore(GeneratorParameters parameters)
    {
        var generator = new EmbeddedGenerator(_material.Training, parameters);
        double sum = 0;
        var count = 0;
        foreach (var label in _material.Labels)
        {
            for (var seed = 500; seed < 502; seed++)
            {
                var caption = $"a {label.Replace('_', ' ')} heard in a park";
                var clip = generator.Generate(new GenerationRequest(label, caption, SoundComponents.Empty, _material.ClipSeconds, seed));
                sum += await _material.Scorer.ScoreAsync(clip.Audio, label);
                count++;
            }
        }

        return sum / count;
    }

    [Fact]
    public async Task TuningIsDeterministicForASeedAndItsResultSerialises()
    {
        var options = new PreferenceTuningOptions { Candidates = 2, ClipsPerLabel = 1, MaxLabels = 2, Seed = 11 };
        var first = await Tune(GeneratorParameters.Default, options);
        var second = await Tune(GeneratorParameters.Default, options);
        Assert.Equal(first.Best.ToJson(), second.Best.ToJson());
        Assert.Equal(first.Candidates.Select(c => c.Utility), second.Candidates.Select(c => c.Utility));
        Assert.Equal(first.Best, GeneratorParameters.FromJson(first.Best.ToJson()));
        Assert.Contains("\"Best\"", PreferenceTuner.ToJson(first), StringComparison.Ordinal);

        var otherSeed = await Tune(GeneratorParameters.Default, options with { Seed = 12 });
        Assert.NotEqual(first.Candidates[1].Parameters, otherSeed.Candidates[1].Parameters);
    }

    [Fact]
    public async Task TheTimeBudgetBoundsTheSearch()
    {
        var options = new PreferenceTuningOptions { Candidates = 50, ClipsPerLabel = 1, MaxLabels = 1, TimeBudgetSeconds = 0 };
        var result = await Tune(GeneratorParameters.Default, options);
        Assert.True(result.StoppedByBudget);
        Assert.Single(result.Candidates);
        Assert.Equal(GeneratorParameters.Default, result.Best);
    }
}
