using Synthio.Caching;

namespace Synthio.Language;

/// <summary>
/// Caches the three language jobs of any <see cref="ILanguageModel"/> in the step cache. Each key holds the
/// model's identity (for Ollama: model digest, sampling settings and prompt template hashes and versions; for
/// the offline composer: its version), the label, the job's inputs and its seed — so a second run over the same
/// inputs asks the model nothing, and pulling a new model version or editing a prompt asks again.
/// </summary>
public sealed class CachedLanguageModel : ILanguageModel
{
    /// <summary>Step names (with their key-layout version) under which results are stored.</summary>
    public const string ExtractStep = "language.extract/1";

    /// <inheritdoc cref="ExtractStep"/>
    public const string MixCapStep = "language.mixcap/1";

    /// <inheritdoc cref="ExtractStep"/>
    public const string ReflectStep = "language.reflect/1";

    private readonly StepCache _cache;

    public CachedLanguageModel(ILanguageModel inner, StepCache cache)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
    }

    /// <summary>The model that answers on a cache miss.</summary>
    public ILanguageModel Inner { get; }

    /// <inheritdoc />
    public Task<string> GetIdentityAsync(CancellationToken cancellationToken = default) => Inner.GetIdentityAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<SoundComponents> ExtractComponentsAsync(string label, string caption, CancellationToken cancellationToken = default)
    {
        var identity = await Inner.GetIdentityAsync(cancellationToken).ConfigureAwait(false);
        var result = await _cache.GetOrComputeAsync(
            ExtractStep,
            new { identity, label, caption },
            async ct => Stored.From(await Inner.ExtractComponentsAsync(label, caption, ct).ConfigureAwait(false)),
            cancellationToken).ConfigureAwait(false);
        return result.ToComponents();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ComposeCaptionsAsync(string label, SoundComponents pool, int count, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var identity = await Inner.GetIdentityAsync(cancellationToken).ConfigureAwait(false);
        return await _cache.GetOrComputeAsync(
            MixCapStep,
            new { identity, label, events = pool.Events, scenes = pool.Scenes, count, seed },
            async ct => (await Inner.ComposeCaptionsAsync(label, pool, count, seed, ct).ConfigureAwait(false)).ToArray(),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> ReflectAsync(string label, string rejectedCaption, SoundComponents alreadyTried, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alreadyTried);
        var identity = await Inner.GetIdentityAsync(cancellationToken).ConfigureAwait(false);
        return await _cache.GetOrComputeAsync(
            ReflectStep,
            new { identity, label, rejected = rejectedCaption, triedEvents = alreadyTried.Events, triedScenes = alreadyTried.Scenes, seed },
            ct => Inner.ReflectAsync(label, rejectedCaption, alreadyTried, seed, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored form of <see cref="SoundComponents"/>: plain arrays, so it reads back exactly.</summary>
    private sealed record Stored(string[] Events, string[] Scenes)
    {
        public static Stored From(SoundComponents c) => new(c.Events.ToArray(), c.Scenes.ToArray());

        public SoundComponents ToComponents() => new(Events, Scenes);
    }
}
