namespace Synthio.Generation;

/// <summary>
/// A generator that can say which gold clips a generated clip was built from, so training can keep a
/// synthetic clip in the same cross-validation fold as its sources.
/// </summary>
public interface ISourceReportingGenerator : ITextToAudio
{
    Task<GeneratedClip> GenerateWithSourcesAsync(GenerationRequest request, CancellationToken cancellationToken = default);
}
