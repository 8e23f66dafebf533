using Synthio.Caching;
using Synthio.Diagnostics;
using Synthio.Tests;

namespace Synthio.Core.Tests.Caching;

public sealed class StepCacheTests
{
    [Fact]
    public void CanonicalJsonIgnoresPropertyOrderButNotValues()
    {
        var a = CanonicalJson.Serialize(new { b = 1.5, a = new[] { "x", "y" } });
        var b = CanonicalJson.Serialize(System.Text.Json.Nodes.JsonNode.Parse("""{"a":["x","y"],"b":1.5}"""));
        Assert.Equal(a, b);
        Assert.NotEqual(StepKey.Compute("s", new { a = 1 }), StepKey.Compute("s", new { a = 2 }));
        Assert.NotEqual(StepKey.Compute("s", new { a = 1 }), StepKey.Compute("t", new { a = 1 }));
    }

    [Fact]
    public async Task AResultIsComputedOnceAndReusedByALaterRun()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        var computed = 0;
        Task<string> Compute(CancellationToken _)
        {
            Interlocked.Increment(ref computed);
            return Task.FromResult("result");
        }

        using (var first = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter))
        {
            Assert.Equal("result", await first.GetOrComputeAsync("step", new { input = "abc" }, Compute));
            Assert.Equal("result", await first.GetOrComputeAsync("step", new { input = "abc" }, Compute));
            Assert.Equal(1, first.Counters["step"].Computed);
        }

        using var second = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter);
        Assert.Equal("result", await second.GetOrComputeAsync("step", new { input = "abc" }, Compute));
        Assert.Equal(1, computed);
        Assert.Equal(1, second.Counters["step"].Reused);
        Assert.Empty(reporter.Diagnostics);
    }

    [Fact]
    public async Task ACorruptRecordIsReportedDroppedAndRecomputed()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        var computed = 0;
        Task<int> Compute(CancellationToken _) => Task.FromResult(Interlocked.Increment(ref computed));
        using (var cache = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter))
        {
            await cache.GetOrComputeAsync("step", new { x = 1 }, Compute);
        }

        var record = Directory.GetFiles(StepCache.RecordsDirectoryOf(temp.Path), "*.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(record, File.ReadAllText(record).Replace("\"result\":1", "\"result\":7", StringComparison.Ordinal));
        using var again = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter);
        Assert.Equal(2, await again.GetOrComputeAsync("step", new { x = 1 }, Compute));
        Assert.Equal(DiagnosticCodes.CorruptCacheEntry, Assert.Single(reporter.Diagnostics).Code);
    }

    [Fact]
    public async Task AClaimLeftEmptyByAKilledProcessIsTakenOver()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        using var cache = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter);
        var claim = Path.Combine(temp.Path, "claims", StepCache.KeyOf("step", new { x = 1 }) + ".claim");
        Directory.CreateDirectory(Path.GetDirectoryName(claim)!);
        File.WriteAllText(claim, string.Empty);
        File.SetLastWriteTimeUtc(claim, DateTime.UtcNow.AddMinutes(-1));

        var result = cache.GetOrComputeAsync("step", new { x = 1 }, _ => Task.FromResult(42));
        Assert.Same(result, await Task.WhenAny(result, Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.Equal(42, await result);
    }

    [Fact]
    public async Task AClaimWhoseOwnerComputesLongerThanTheStaleAgeIsRefreshedAndWaitedFor()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        // Generous for a busy machine: the owner refreshes every second and a waiter gives up on it after four.
        var stale = TimeSpan.FromSeconds(4);
        using var owner = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter) { StaleClaimAge = stale };
        using var waiter = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter) { StaleClaimAge = stale };
        var computed = 0;
        async Task<int> Slow(CancellationToken ct)
        {
            Interlocked.Increment(ref computed);
            await Task.Delay(stale * 2.5, ct);
            return 7;
        }

        var claim = Path.Combine(temp.Path, "claims", StepCache.KeyOf("step", new { x = 1 }) + ".claim");
        var first = owner.GetOrComputeAsync("step", new { x = 1 }, Slow);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(claim) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(File.Exists(claim), "the owner never claimed the step");
        var second = waiter.GetOrComputeAsync("step", new { x = 1 }, Slow);
        Assert.Equal(new[] { 7, 7 }, await Task.WhenAll(first, second));

        // The owner still ran when its claim was two and a half stale ages old: the waiter waited rather than computing too.
        Assert.Equal(1, computed);
        Assert.Equal(1, waiter.Counters["step"].Reused);
    }

    [Fact]
    public void BlobsAreVerifiedOnRead()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        var store = new ContentAddressedStore(temp.Path, reporter);
        var hash = store.Put("some audio bytes"u8);
        Assert.True(store.TryGet(hash, out var bytes));
        Assert.Equal("some audio bytes"u8.ToArray(), bytes);

        File.WriteAllText(store.PathOf(hash), "tampered");
        Assert.False(store.TryGet(hash, out _));
        Assert.False(store.Contains(hash));
        Assert.Equal(DiagnosticCodes.CorruptCacheEntry, Assert.Single(reporter.Diagnostics).Code);
    }

    [Theory]
    [InlineData("10GB", 10_000_000_000L)]
    [InlineData("512MiB", 536_870_912L)]
    [InlineData("1234", 1234L)]
    public void SizesParse(string text, long bytes) => Assert.Equal(bytes, CacheMaintenance.ParseSize(text));
}
