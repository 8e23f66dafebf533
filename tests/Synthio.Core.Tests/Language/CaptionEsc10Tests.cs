using Synthio.Language;
using Xunit.Abstractions;

namespace Synthio.Core.Tests.Language;

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
    public void DumpCaptions()
    {
        foreach (var (label, file, caption) in _fixture.Captions)
        {
            var c = CaptionGrammar.Parse(label, caption);
            _output.WriteLine($"{label} {Path.GetFileName(file)}: {caption}  || E=[{string.Join(" | ", c.Events)}] S=[{string.Join(" | ", c.Scenes)}]");
        }
    }
}
