using Synthio.Language;
using Synthio.Tests;

namespace Synthio.Core.Tests.Language;

public class PromptLibraryTests
{
    [Fact]
    public void TheEmbeddedPromptsLoadWithNamesVersionsAndHashes()
    {
        var library = PromptLibrary.Default;

        Assert.Equal("extract-components", library.Extract.Name);
        Assert.Equal("mixcap", library.MixCap.Name);
        Assert.Equal("reflect", library.Reflect.Name);
        Assert.All(new[] { library.Extract, library.MixCap, library.Reflect }, t =>
        {
            Assert.True(t.Version >= 1);
            Assert.Matches("^[0-9a-f]{64}$", t.Hash);
            Assert.StartsWith($"{t.Name}@{t.Version}#", t.Identity);
        });
        Assert.Equal(3, new[] { library.Extract.Hash, library.MixCap.Hash, library.Reflect.Hash }.Distinct().Count());
    }

    [Fact]
    public void TheEmbeddedPromptsAreTheFilesInTheRepository()
    {
        var folder = Path.Combine(TestPaths.RepositoryRoot, "src", "Synthio.Core", "Language", "Prompts");
        var fromFiles = PromptLibrary.FromDirectory(folder);
        Assert.Equal(PromptLibrary.Default.Identity, fromFiles.Identity);
    }

    [Fact]
    public void PromptsSayWhatDesignSectionTwoAsks()
    {
        var library = PromptLibrary.Default;
        var extract = library.Extract.Render(new Dictionary<string, string> { ["label_phrase"] = "dog", ["caption"] = "A dog barks twice in a yard." });
        Assert.Contains("A dog barks twice in a yard.", extract);
        Assert.Contains("\"events\"", extract);
        Assert.Contains("\"scenes\"", extract);
        Assert.Contains("only repeats the label", extract);

        var mixCap = library.MixCap.Render(new Dictionary<string, string>
        {
            ["label_phrase"] = "sea waves", ["count"] = "5", ["events"] = "- a low rumble", ["scenes"] = "- on a beach",
        });
        Assert.Contains("Write 5 new captions", mixCap);
        Assert.Contains("exact phrase \"sea waves\"", mixCap);
        Assert.Contains("at most 25 words", mixCap);
        Assert.Contains("not in the lists", mixCap);
        Assert.Contains("\"captions\"", mixCap);

        var reflect = library.Reflect.Render(new Dictionary<string, string>
        {
            ["label_phrase"] = "rain", ["caption"] = "Rain on a roof.", ["tried_events"] = "- drops", ["tried_scenes"] = "- a roof",
        });
        Assert.Contains("different from all of those already tried", reflect);
        Assert.Contains("\"caption\"", reflect);
    }

    [Fact]
    public void RenderingRefusesMissingAndUnusedValues()
    {
        var template = PromptTemplate.Parse("# prompt: t\n# version: 2\n---\nHello {{who}}.\n");
        Assert.Equal("Hello you.\n", template.Render(new Dictionary<string, string> { ["who"] = "you" }));
        Assert.Throws<KeyNotFoundException>(() => template.Render(new Dictionary<string, string>()));
        Assert.Throws<ArgumentException>(() => template.Render(new Dictionary<string, string> { ["who"] = "x", ["extra"] = "y" }));
    }

    [Fact]
    public void EditingATemplateOrBumpingItsVersionChangesTheIdentity()
    {
        var a = PromptTemplate.Parse("# prompt: t\n# version: 1\n---\nSay {{x}}.\n");
        var edited = PromptTemplate.Parse("# prompt: t\n# version: 1\n---\nPlease say {{x}}.\n");
        var bumped = PromptTemplate.Parse("# prompt: t\n# version: 2\n---\nSay {{x}}.\n");
        var crlf = PromptTemplate.Parse("# prompt: t\r\n# version: 1\r\n---\r\nSay {{x}}.\r\n");

        Assert.NotEqual(a.Identity, edited.Identity);
        Assert.NotEqual(a.Identity, bumped.Identity);
        Assert.Equal(a.Identity, crlf.Identity);
    }

    [Fact]
    public void AFolderOverridesOnlyTheTemplatesItHolds()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine(PromptLibrary.MixCapFile), "# prompt: mixcap\n# version: 9\n---\n{{label_phrase}} {{count}} {{events}} {{scenes}}\n");
        var library = PromptLibrary.FromDirectory(temp.Path);

        Assert.Equal(9, library.MixCap.Version);
        Assert.Equal(PromptLibrary.Default.Extract.Identity, library.Extract.Identity);
        Assert.NotEqual(PromptLibrary.Default.Identity, library.Identity);
    }

    [Fact]
    public void AHeaderWithoutVersionIsRejected()
    {
        Assert.Throws<FormatException>(() => PromptTemplate.Parse("# prompt: t\n---\nbody\n"));
        Assert.Throws<FormatException>(() => PromptTemplate.Parse("no header at all"));
    }
}
