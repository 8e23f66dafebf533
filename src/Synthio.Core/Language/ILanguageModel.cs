namespace Synthio.Language;

/// <summary>
/// The three language jobs of Synthio (design §2 steps 2, 3 and 6). Implementations: the offline
/// composer (embedded default) and Ollama.
/// </summary>
public interface ILanguageModel
{
    /// <summary>
    /// Backend identity for cache keys: for Ollama the model name and the digest read from the
    /// server, for the offline composer its version. Reading it may contact the backend.
    /// </summary>
    Task<string> GetIdentityAsync(CancellationToken cancellationToken = default);

    /// <summary>Prompt 1: the events and scenes of one caption, leaving out what merely restates the label.</summary>
    Task<SoundComponents> ExtractComponentsAsync(string label, string caption, CancellationToken cancellationToken = default);

    /// <summary>
    /// Prompt 2 (MixCap): <paramref name="count"/> new captions for <paramref name="label"/> built mostly from
    /// the given pooled components (already sub-sampled by the caller) plus a few novel ones.
    /// </summary>
    Task<IReadOnlyList<string>> ComposeCaptionsAsync(string label, SoundComponents pool, int count, int seed, CancellationToken cancellationToken = default);

    /// <summary>Prompt 3: rewrite a rejected caption so its events and scenes differ from those already tried.</summary>
    Task<string> ReflectAsync(string label, string rejectedCaption, SoundComponents alreadyTried, int seed, CancellationToken cancellationToken = default);
}
