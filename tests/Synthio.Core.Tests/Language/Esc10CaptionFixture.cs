using Synthio.Audio;
using Synthio.Captioning;
using Synthio.Tests;

namespace Synthio.Core.Tests.Language;

/// <summary>ESC-10 training clips (folds 2–5) captioned once by the descriptor captioner, shared by the composer tests.</summary>
public sealed class Esc10CaptionFixture
{
    // Both ESC-10 test classes read the same captions; measure the 320 clips once per test run.
    private static readonly Lazy<(string Label, string File, string Caption)[]> Shared = new(CaptionAll);

    public IReadOnlyList<(string Label, string File, string Caption)> Captions => Shared.Value;

    private static (string Label, string File, string Caption)[] CaptionAll()
    {
        var captioner = new DescriptorCaptioner();
        var clips = Directory.EnumerateDirectories(TestPaths.Esc10)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*.wav").Select(file => (Label: Path.GetFileName(dir), File: file)))
            .Where(c => Path.GetFileName(c.File)[0] is '2' or '3' or '4' or '5')
            .OrderBy(c => c.Label, StringComparer.Ordinal)
            .ThenBy(c => c.File, StringComparer.Ordinal)
            .ToArray();

        var captions = new (string Label, string File, string Caption)[clips.Length];
        Parallel.For(0, clips.Length, i =>
        {
            var audio = WavFile.ReadMono(clips[i].File);
            captions[i] = (clips[i].Label, clips[i].File, captioner.CaptionAsync(audio).GetAwaiter().GetResult());
        });

        return captions;
    }

    public ILookup<string, string> CaptionsByLabel => Captions.ToLookup(c => c.Label, c => c.Caption);
}
