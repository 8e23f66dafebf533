using Synthio.Language;
using Xunit.Abstractions;

namespace Synthio.Core.Tests.Language;

/// <summary>The offline composer end to end on ESC-10 training clips captioned by the descriptor captioner.</summary>
public class ComposerEsc10Tests : IClassFixture<Esc10CaptionFixture>
{
    private readonly Esc10CaptionFixture _fixture;
    private readonly ITestOutputHelper _output;

    public ComposerEsc10Tests(Esc10CaptionFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task MixCapCaptionsAreMostlyDistinctAndAllContainTheLabelPhraseWithin25Words()
    {
        var composer = new OfflineComposer();
        var mixCap = new MixCapComposer(composer);
        foreach (var group in _fixture.CaptionsByLabel)
        {
            var label = group.Key;
            var components = new List<SoundComponents>();
            foreach (var caption in group)
            {
                components.Add(await composer.ExtractComponentsAsync(label, caption));
            }

            var pool = MixCapComposer.Pool(components);
            // Multiplier 3 over 32 clips: 96 captions, 20 requests of 5.
            var batches = await mixCap.ComposeAsync(label, pool, mixCap.BatchesFor(3 * group.Count()), runSeed: 0);
            var captions = batches.SelectMany(b => b.Captions).ToArray();
            var distinct = captions.Distinct(StringComparer.OrdinalIgnoreCase).Count();
            var phrase = LabelPhrase.Of(label);
            _output.WriteLine($"{label}: pool {pool.Events.Count} events / {pool.Scenes.Count} scenes; {distinct}/{captions.Length} distinct; e.g. \"{captions[0]}\" | \"{captions[1]}\"");

            Assert.Equal(100, captions.Length);
            Assert.True(distinct >= 0.9 * captions.Length, $"{label}: {distinct}/{captions.Length} distinct");
            Assert.All(captions, c => Assert.True(LabelPhrase.IsContainedIn(label, c), $"'{c}' lacks '{phrase}'"));
            Assert.All(captions, c => Assert.True(CaptionText.WordCount(c) <= 25, $"'{c}' has {CaptionText.WordCount(c)} words"));
            // Mostly pooled material: every caption carries at least one phrase from the pool.
            var pooled = captions.Count(c => pool.All.Any(p => c.Contains(p, StringComparison.OrdinalIgnoreCase)));
            Assert.True(pooled >= 0.9 * captions.Length, $"{label}: only {pooled} captions use the pool");
            // Not one sentence template: many frames appear.
            var openings = captions.Select(c => string.Join(' ', c.Split(' ').Take(2))).Distinct().Count();
            Assert.True(openings >= 5, $"{label}: only {openings} distinct openings");
        }
    }

    [Fact]
    public async Task AReflectedCaptionSharesNoEventPhraseWithTheCaptionItReplaces()
    {
        var composer = new OfflineComposer();
        var mixCap = new MixCapComposer(composer);
        var checkedCount = 0;
        foreach (var group in _fixture.CaptionsByLabel)
        {
            var label = group.Key;
            var components = new List<SoundComponents>();
            foreach (var caption in group)
            {
                components.Add(await composer.ExtractComponentsAsync(label, caption));
            }

            var pool = MixCapComposer.Pool(components);
            var batch = await mixCap.ComposeBatchAsync(label, pool, index: 0, runSeed: 5);
            foreach (var rejected in batch.Captions)
            {
                var tried = await composer.ExtractComponentsAsync(label, rejected);
                var current = rejected;
                // Two reflection rounds, as in the released code; each round must move away from everything tried.
                for (var round = 0; round < 2; round++)
                {
                    var reflected = await composer.ReflectAsync(label, current, tried, seed: round);
                    var before = (await composer.ExtractComponentsAsync(label, current)).Events.Select(CaptionText.NormalizePhrase).ToHashSet();
                    var after = (await composer.ExtractComponentsAsync(label, reflected)).Events.Select(CaptionText.NormalizePhrase).ToArray();

                    Assert.NotEmpty(after);
                    Assert.True(LabelPhrase.IsContainedIn(label, reflected), $"'{reflected}' lacks the label");
                    Assert.True(CaptionText.WordCount(reflected) <= 25, reflected);
                    Assert.DoesNotContain(after, before.Contains);
                    var triedEvents = tried.Events.Select(CaptionText.NormalizePhrase).ToHashSet();
                    Assert.DoesNotContain(after, triedEvents.Contains);

                    var parsed = await composer.ExtractComponentsAsync(label, reflected);
                    tried = new SoundComponents(tried.Events.Concat(parsed.Events).ToArray(), tried.Scenes.Concat(parsed.Scenes).ToArray());
                    current = reflected;
                    checkedCount++;
                }
            }
        }

        Assert.Equal(10 * 5 * 2, checkedCount);
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameCaptionsAndAnotherSeedOthers()
    {
        var composer = new OfflineComposer();
        var mixCap = new MixCapComposer(composer);
        var group = _fixture.CaptionsByLabel["dog"];
        var components = new List<SoundComponents>();
        foreach (var caption in group)
        {
            components.Add(await composer.ExtractComponentsAsync("dog", caption));
        }

        var pool = MixCapComposer.Pool(components);
        var a = await mixCap.ComposeAsync("dog", pool, 3, runSeed: 1);
        var b = await mixCap.ComposeAsync("dog", pool, 3, runSeed: 1);
        var c = await mixCap.ComposeAsync("dog", pool, 3, runSeed: 2);

        Assert.Equal(a.SelectMany(x => x.Captions), b.SelectMany(x => x.Captions));
        Assert.NotEqual(a.SelectMany(x => x.Captions), c.SelectMany(x => x.Captions));
    }
}
