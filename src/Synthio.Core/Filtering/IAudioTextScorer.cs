using Synthio.Audio;

namespace Synthio.Filtering;

/// <summary>
/// Scores how consistent a clip is with a label, in [0, 1] (design §2 step 5); clips at or above the
/// threshold are kept.
/// </summary>
public interface IAudioTextScorer
{
    /// <summary>Name, version and what the scorer was fitted on or loaded from.</summary>
    string Identity { get; }

    Task<double> ScoreAsync(AudioBuffer audio, string label, CancellationToken cancellationToken = default);
}
