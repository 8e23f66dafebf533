using Synthio.Language;

namespace Synthio.Core.Tests.Language;

public class MixCapComposerTests
{
    /// <summary>Records what MixCap asks for, answering with numbered captions.</summary>
    private sealed class RecordingModel : ILanguageModel
    {
        public List<(string Label, SoundComponents Pool, int Count, int Seed)> Calls { get; } = new();

        public Task<string> GetIdentityAsync(CancellationToken cancellationToken = default) => Task.FromResult("recording");

        public Task<SoundComponents> ExtractComponentsAsync(string label, string caption, CancellationToken cancellationToken = default) =>
            Task.FromResult(SoundComponents.Empty);

        public Task<IReadOnlyList<string>> ComposeCaptionsAsync(string label, SoundComponents pool, int count, int seed, CancellationToken cancellationToken = default)
        {
            lock (Calls)
            {
                Calls.Add((label, pool, count, seed));
            }

            return Task.FromResult<IReadOnlyList<string>>(Enumerable.Range(0, count).Select(i => $"{label} {seed} {i}").ToArray());
        }

        public Task<string> ReflectAsync(string label, string rejectedCaption, SoundComponents alreadyTried, int seed, CancellationToken cancellationToken = default) =>
            Task.FromResult(rejectedCaption);
    }

    private static readonly SoundComponents Pool = new(
        Enumerable.Range(0, 20).Select(i => $"event {i}").ToArray(),
        Enumerable.Range(0, 8).Select(i => $"scene {i}").ToArray());

    [Fact]
    public void PoolingKeepsEachPhraseOnceInFirstSeenOrder()
    {
        var pooled = MixCapComposer.Pool([
            new SoundComponents(["a", "b"], ["x"]),
            new SoundComponents(["B ", "c"], ["x", "y"]),
        ]);
        Assert.Equal(["a", "b", "c"], pooled.Events);
        Assert.Equal(["x", "y"], pooled.Scenes);
    }

    [Fact]
    public void SubsamplingKeeps75PercentOfEachPoolAndVariesWithTheSeed()
    {
        var composer = new MixCapComposer(new RecordingModel());
        var a = composer.Subsample(Pool, 1);
        var b = composer.Subsample(Pool, 2);

        Assert.Equal(15, a.Events.Count);
        Assert.Equal(6, a.Scenes.Count);
        Assert.All(a.Events, e => Assert.Contains(e, Pool.Events));
        Assert.Equal(a.Events, composer.Subsample(Pool, 1).Events);
        Assert.NotEqual(a.Events, b.Events);
        Assert.Single(composer.Subsample(new SoundComponents(["only"], []), 3).Events);
    }

    [Fact]
    public async Task EachBatchAsksForFiveCaptionsWithItsOwnSubsetAndSeed()
    {
        var model = new RecordingModel();
        var composer = new MixCapComposer(model);

        var batches = await composer.ComposeAsync("dog", Pool, composer.BatchesFor(12), runSeed: 4);

        Assert.Equal(3, batches.Count);
        Assert.Equal([0, 1, 2], batches.Select(b => b.Index));
        Assert.All(model.Calls, c => Assert.Equal(5, c.Count));
        Assert.Equal(3, model.Calls.Select(c => c.Seed).Distinct().Count());
        Assert.Equal(3, batches.Select(b => string.Join('|', b.Kept.Events)).Distinct().Count());
        Assert.All(batches, b => Assert.Equal(5, b.Captions.Count));
        Assert.Equal(MixCapComposer.BatchSeed(4, "dog", 1), batches[1].Seed);
    }
}
