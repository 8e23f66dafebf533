using Synthio.Audio;
using Synthio.Language;

namespace Synthio.Generation;

/// <summary>What one generated clip should be.</summary>
public sealed record GenerationRequest(
    string Label,
    string Caption,
    SoundComponents Components,
    double DurationSeconds,
    int Seed);

/// <summary>Makes a clip from a caption (design §2 step 4).</summary>
public interface ITextToAudio
{
    /// <summary>Name, version and everything the output depends on besides the request (model file hashes, material).</summary>
    string Identity { get; }

    Task<AudioBuffer> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default);
}
