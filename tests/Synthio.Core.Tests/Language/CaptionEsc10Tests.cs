using Synthio.Language;
using Xunit.Abstractions;

namespace Synthio.Core.Tests.Language;

/// <summary>The descriptor captioner on real ESC-10 training clips.</summary>
public class CaptionEsc10Tests : IClassFixture<Esc10CaptionFixture>
{
    private readonly Esc10CaptionFixture _fixture;
    private readonly ITestOutputHelper _output;

    public CaptionEsc10Tests(Esc10CaptionFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void DifferentClipsOfOneLabelMostlyGetDifferentCaptions()
    {
        foreach (var group in _fixture.CaptionsByLabel)
        {
            var captions = group.ToArray();
            var distinct = captions.Distinct(StringComparer.Ordinal).Count();
            _output.WriteLine($"{group.Key}: {distinct}/{captions.Length} distinct captions");
            // Sustained noisy sounds (sea waves, rain) measure alike more often than pitched ones; half is the floor.
            Assert.True(distinct * 2 >= captions.Length, $"{group.Key}: only {distinct} distinct captions for {captions.Length} clips");
        }

        var all = _fixture.Captions.Select(c => c.Caption).ToArray();
        Assert.True(all.Distinct(StringComparer.Ordinal).Count() >= 0.75 * all.Length);
    }

    [Fact]
    public void EveryCaptionParsesIntoAtLeastOneEventAndOneSceneAndNeverNamesALabel()
    {
        var labelPhrases = _fixture.CaptionsByLabel.Select(g => LabelPhrase.Of(g.Key)).ToArray();
        foreach (var (label, file, caption) in _fixture.Captions)
        {
            var components = CaptionGrammar.Parse(label, caption);
            Assert.True(components.Events.Count >= 1, $"{Path.GetFileName(file)}: no event in '{caption}'");
            Assert.True(components.Scenes.Count >= 1, $"{Path.GetFileName(file)}: no scene in '{caption}'");
            Assert.True(CaptionText.WordCount(caption) <= 40, caption);
            // The captioner never sees the label, so no caption can name one.
            Assert.DoesNotContain(labelPhrases, p => LabelPhrase.IsContainedIn(p, caption));
        }
    }

    [Fact]
    public void PitchedAndImpulsiveLabelsAreToldApart()
    {
        double Share(string label, string word) =>
            _fixture.CaptionsByLabel[label].Count(c => c.Contains(word, StringComparison.OrdinalIgnoreCase)) / (double)_fixture.CaptionsByLabel[label].Count();

        // A rooster crows and a baby cries with a clear pitch; a clock ticks and a fire crackles in transients.
        var pitched = Share("rooster", " Hz") + Share("crying_baby", " Hz");
        var ticking = Share("clock_tick", " Hz");
        _output.WriteLine($"pitched share rooster+baby: {pitched / 2:P0}; clock_tick: {ticking:P0}");
        Assert.True(pitched / 2 > ticking + 0.3, $"pitch should mark rooster/baby ({pitched / 2:P0}) more than clock_tick ({ticking:P0})");
    }
}
