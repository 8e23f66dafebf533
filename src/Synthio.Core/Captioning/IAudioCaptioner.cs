using Synthio.Audio;

namespace Synthio.Captioning;

/// <summary>Describes a clip in words, AudioCaps style (design §2 step 1).</summary>
public interface IAudioCaptioner
{
    /// <summary>Name and version: part of the caption step's cache key.</summary>
    string Identity { get; }

    Task<string> CaptionAsync(AudioBuffer audio, CancellationToken cancellationToken = default);
}
