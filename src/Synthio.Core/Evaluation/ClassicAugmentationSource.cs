using Synthio.Audio;
using Synthio.Augmentation;
using Synthio.Datasets;
using Synthio.Language;

namespace Synthio.Evaluation;

/// <summary>
/// The <c>classic</c> mode: each training clip gets <see cref="Multiplier"/> copies through the
/// audiomentations-style chain (<see cref="ClassicAugmenter"/>), each seeded by the run seed, the clip and the copy.
/// </summary>
public sealed class ClassicAugmentationSource : IAugmentationSource
{
    public const string ModeName = "classic";

    private readonly ClassicAugmenter _augmenter;

    public ClassicAugmentationSource(int multiplier, ClassicAugmenter? augmenter = null)
    {
        Multiplier = multiplier;
        _augmenter = augmenter ?? new ClassicAugmenter();
    }

    public int Multiplier { get; }

    public string Mode => ModeName;

    public Task<IReadOnlyList<AugmentedClip>> AugmentAsync(Dataset trainSubset, int seed, CancellationToken ct)
    {
        var clips = trainSubset.Train.ToArray();
        var result = new AugmentedClip[clips.Length * Multiplier];
        Parallel.For(0, clips.Length, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var path = Path.GetFullPath(clips[i].Path);
            var audio = WavFile.ReadMono(path);
            for (var copy = 0; copy < Multiplier; copy++)
            {
                var copySeed = (int)(SeededRandom.Mix(seed, "classic", clips[i].Label, clips[i].FileName, copy) & int.MaxValue);
                result[(i * Multiplier) + copy] = new AugmentedClip(clips[i].Label, new[] { path }, Audio: _augmenter.Augment(audio, copySeed));
            }
        });
        return Task.FromResult<IReadOnlyList<AugmentedClip>>(result);
    }
}
