using Synthio.Audio;

namespace Synthio.Features;

/// <summary>Turns a clip into a fixed-length feature vector for training and scoring.</summary>
public interface IAudioEmbedder
{
    /// <summary>Name, version and settings: part of every cache key that depends on the features.</summary>
    string Identity { get; }

    int Dimension { get; }

    float[] Embed(AudioBuffer audio);
}
