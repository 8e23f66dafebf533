using Synthio.Filtering;
using Xunit.Abstractions;

namespace Synthio.Core.Tests;

public class ScoreThresholdTests : IClassFixture<GenerationTestMaterial>
{
    private readonly GenerationTestMaterial _material;
    private readonly ITestOutputHelper _output;

    public ScoreThresholdTests(GenerationTestMaterial material, ITestOutputHelper output)
    {
        _material = material;
        _output = output;
    }

    [Theory]
    [InlineData("auto", true, 0.85)]
    [InlineData(" AUTO ", true, 0.85)]
    [InlineData("0.5", false, 0.5)]
    [InlineData("0", false, 0.0)]
    [InlineData("1", false, 1.0)]
    public void Parses_auto_and_numbers_in_the_unit_interval(string text, bool fromGold, double cap)
    {
        var threshold = ScoreThreshold.TryParse(text, out var error);
        Assert.Null(error);
        Assert.Equal(new ScoreThreshold(cap, fromGold), threshold);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("-0.1")]
    [InlineData("high")]
    [InlineData("")]
    public void Refuses_anything_else_and_says_what_it_got(string text)
    {
        Assert.Null(ScoreThreshold.TryParse(text, out var error));
        Assert.Contains($"'{text}'", error);
    }

    [Fact]
    public void Auto_is_the_median_unseen_gold_score_capped_and_a_fixed_threshold_ignores_the_scores()
    {
        Assert.Equal(0.4, ScoreThreshold.Auto.ForLabel([0.9, 0.1, 0.4]), 12);
        Assert.Equal(0.5, ScoreThreshold.Auto.ForLabel([0.2, 0.4, 0.6, 0.9]), 12);
        Assert.Equal(0.85, ScoreThreshold.Auto.ForLabel([0.95, 0.99, 0.9]), 12);
        Assert.Equal(0.85, ScoreThreshold.Auto.ForLabel([]), 12);
        Assert.Equal(0.7, ScoreThreshold.Fixed(0.7).ForLabel([0.1, 0.2]), 12);
        Assert.Equal("auto", ScoreThreshold.Auto.ToString());
        Assert.Equal("0.85", ScoreThreshold.Paper.ToString());
    }

    [Fact]
    public async Task The_scorers_held_out_gold_scores_look_like_its_scores_of_real_clips_it_never_saw()
    {
        var scorer = _material.Scorer;
        var heldOutGold = new List<double>();
        var inSample = new List<double>();
        var neverSeen = new List<double>();
        foreach (var label in _material.Labels)
        {
            var own = scorer.HeldOutGoldScores(label);
            Assert.Equal(_material.Training[label].Count, own.Count);
            Assert.All(own, s => Assert.InRange(s, 0.0, 1.0));
            heldOutGold.AddRange(own);
            foreach (var clip in _material.Training[label])
            {
                inSample.Add(await scorer.ScoreAsync(clip.Audio, label));
            }

            foreach (var clip in _material.HeldOut[label])
            {
                neverSeen.Add(await scorer.ScoreAsync(clip.Audio, label));
            }

            _output.WriteLine($"{label,-16} auto threshold {ScoreThreshold.Auto.ForLabel(own):F2}; held-out gold {string.Join(" ", own.Select(s => s.ToString("F2")))}");
        }

        _output.WriteLine($"mean score: in-sample {inSample.Average():F3}, held out in calibration {heldOutGold.Average():F3}, clips of another fold {neverSeen.Average():F3}");
        Assert.Empty(scorer.HeldOutGoldScores("no-such-label"));

        // Scoring the fitted clips flatters the scorer; the calibration's held-out scores do not.
        Assert.True(heldOutGold.Average() < inSample.Average() - 0.1, "held-out gold scores should sit well below in-sample ones");
        Assert.InRange(heldOutGold.Average() - neverSeen.Average(), -0.15, 0.15);
    }
}
