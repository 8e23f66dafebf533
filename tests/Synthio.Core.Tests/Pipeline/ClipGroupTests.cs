using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Tests;

namespace Synthio.Core.Tests.Pipeline;

/// <summary>Groups of near-duplicate clips (<c>GroupPattern</c>): how they are named and how the holdout keeps them together.</summary>
public sealed class ClipGroupTests
{
    [Theory]
    [InlineData(@"^\d+_([a-z]+)_", "3_george_12.wav", "george")]
    [InlineData(@"^[a-z]+", "rain-07.wav", "rain")]
    [InlineData(@"^([^/]+)/", "session-2/take-1.wav", "session-2")]
    [InlineData(@"^\d+_([a-z]+)_", "notes.wav", null)]
    public void TheFirstCaptureOrTheWholeMatchNamesTheGroup(string pattern, string subject, string? expected) =>
        Assert.Equal(expected, ClipGroupPattern.Parse(pattern)!.GroupOf(subject));

    [Fact]
    public void ABlankPatternMeansNoGroupsAndABadOneIsACodedError()
    {
        Assert.Null(ClipGroupPattern.Parse(null));
        Assert.Null(ClipGroupPattern.Parse("  "));
        var error = Assert.Throws<SynthioException>(() => ClipGroupPattern.Parse("(unclosed"));
        Assert.Equal(DiagnosticCodes.BadGroupPattern, error.Code);
    }

    [Fact]
    public void FolderDatasetsMatchThePathInsideTheLabelFolderAndCsvDatasetsThePathAsWritten()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("data");
        foreach (var file in new[] { "dog/park/a.wav", "dog/park/b.wav", "dog/yard/c.wav", "cat/d.wav" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file))!);
            File.WriteAllBytes(Path.Combine(folder, file), Array.Empty<byte>());
        }

        var reporter = new CollectingReporter();
        var grouped = ClipGroupPattern.Parse("^([^/]+)/")!.Apply(DatasetLoader.Load(folder, reporter), reporter);
        Assert.Equal(new string?[] { null, "park", "park", "yard" }, grouped.Clips.Select(c => c.Group));
        Assert.Contains(reporter.Messages, m => m.Contains("3 of 4 clips in 2 groups", StringComparison.Ordinal));

        var csv = temp.Combine("data", "list.csv");
        File.WriteAllLines(csv, new[] { "path,label", "dog/park/a.wav,dog", "dog/yard/c.wav,dog" });
        var fromCsv = ClipGroupPattern.Parse(@"^dog/(\w+)/")!.Apply(DatasetLoader.Load(csv, reporter), reporter);
        Assert.Equal(new[] { "park", "yard" }, fromCsv.Clips.Select(c => c.Group));
    }

    [Fact]
    public void APatternThatMatchesNothingIsReported()
    {
        var dataset = new Dataset("data", new[] { new DatasetClip("/data/dog/a.wav", "dog"), new DatasetClip("/data/cat/b.wav", "cat") });
        var reporter = new CollectingReporter();
        var grouped = ClipGroupPattern.Parse("^speaker-")!.Apply(dataset, reporter);
        Assert.All(grouped.Clips, c => Assert.Null(c.Group));
        var warning = Assert.Single(reporter.Diagnostics);
        Assert.Equal(DiagnosticCodes.GroupPatternMatchedNothing, warning.Code);
    }

    [Fact]
    public void TheHoldoutKeepsAGroupTogetherAndLeavesUngroupedDatasetsAsTheyWere()
    {
        // Ten takes per label from five recordings, two takes each.
        var clips = new[] { "dog", "rain" }.SelectMany(l => Enumerable.Range(0, 10).Select(i => new DatasetClip($"/data/{l}/{l}-{i:00}.wav", l))).ToArray();
        var plain = HoldoutSplitter.Apply(new Dataset("data", clips), 0.2, seed: 0);
        var grouped = HoldoutSplitter.Apply(new Dataset("data", clips.Select(c => c with { Group = $"rec{int.Parse(c.FileName[^6..^4]) / 2}" })), 0.2, seed: 0);

        foreach (var group in grouped.Clips.GroupBy(c => (c.Label, c.Group)))
        {
            Assert.Single(group.Select(c => c.Split).Distinct());
        }

        Assert.All(grouped.Clips.GroupBy(c => c.Label), l => Assert.Equal(2, l.Count(c => c.Split == ClipSplit.Test)));

        // Groups of one clip each rank exactly as clips without a group.
        var singletons = HoldoutSplitter.Apply(new Dataset("data", clips.Select(c => c with { Group = c.FileName })), 0.2, seed: 0);
        Assert.Equal(plain.Test.Select(c => c.Path), singletons.Test.Select(c => c.Path));
    }

    [Fact]
    public void WhenEveryGroupIsLargerThanTheShareTheSmallestIsHeldOut()
    {
        var clips = Enumerable.Range(0, 10).Select(i => new DatasetClip($"/data/dog/dog-{i}.wav", "dog") { Group = i < 7 ? "long" : "short" })
            .Concat(Enumerable.Range(0, 4).Select(i => new DatasetClip($"/data/cat/cat-{i}.wav", "cat") { Group = "only" }))
            .ToArray();
        var split = HoldoutSplitter.Apply(new Dataset("data", clips), 0.2, seed: 1);
        Assert.Equal(Enumerable.Range(7, 3).Select(i => $"/data/dog/dog-{i}.wav"), split.Test.Where(c => c.Label == "dog").Select(c => c.Path));

        // A label that is one group cannot be held out without losing all of its training clips.
        Assert.DoesNotContain(split.Test, c => c.Label == "cat");
    }
}
