using Synthio.Datasets;
using Synthio.Pipeline;

namespace Synthio.Core.Tests.Pipeline;

public sealed class DatasetSplitAndNamingTests
{
    private static Dataset Make(int perLabel) => new(
        "data",
        new[] { "dog", "rain" }.SelectMany(l => Enumerable.Range(0, perLabel).Select(i => new DatasetClip($"/data/{l}/{l}-{i:00}.wav", l))));

    [Fact]
    public void HoldoutIsStratifiedAndAddingAClipMovesAtMostThatClip()
    {
        var before = HoldoutSplitter.Apply(Make(10), 0.2, seed: 0);
        Assert.Equal(2, before.Test.Count(c => c.Label == "dog"));
        Assert.Equal(2, before.Test.Count(c => c.Label == "rain"));

        var grown = Make(10).WithClips(Make(10).Clips.Append(new DatasetClip("/data/dog/dog-99.wav", "dog")));
        var after = HoldoutSplitter.Apply(grown, 0.2, seed: 0);
        var moved = before.Clips.Where(c => after.Clips.Single(a => a.Path == c.Path).Split != c.Split).ToList();
        Assert.True(moved.Count <= 1, $"{moved.Count} clips changed side");
        Assert.Equal(before.Test.Where(c => c.Label == "rain").Select(c => c.Path), after.Test.Where(c => c.Label == "rain").Select(c => c.Path));
    }

    [Fact]
    public void SmallLabelsKeepEveryClipForTraining()
    {
        var split = HoldoutSplitter.Apply(Make(2), 0.5, seed: 0);
        Assert.Empty(split.Test);
    }

    [Theory]
    [InlineData("dog", "dog")]
    [InlineData("sea waves", "sea waves")]
    public void SafeLabelsKeepTheirName(string label, string folder) => Assert.Equal(folder, FileNames.ForLabel(label));

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("CON")]
    [InlineData("..")]
    [InlineData("tab\there")]
    public void UnsafeLabelsGetSafeDistinctNames(string label)
    {
        var name = FileNames.ForLabel(label);
        Assert.DoesNotContain('/', name);
        Assert.DoesNotContain('\\', name);
        Assert.NotEqual("..", name);
        Assert.False(name.StartsWith('.'), name);
        Assert.False(string.Equals(name, "CON", StringComparison.OrdinalIgnoreCase), name);
        Assert.Equal(name, FileNames.ForLabel(label));
        Assert.NotEqual(FileNames.ForLabel(label + "x"), name);
    }
}
