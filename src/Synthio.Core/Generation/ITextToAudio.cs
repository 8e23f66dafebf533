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

    /// <summary>
    /// What a clip of <paramref name="label"/> depends on besides the request. A generator whose output for one
    /// label never reads another label's material says so here, so adding a clip to one label leaves the
    /// cache keys of the others alone; by default it is the whole <see cref="Identity"/>.
    /// </summary>
    string IdentityFor(string label) => Identity;

    Task<AudioBuffer> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default);
}
