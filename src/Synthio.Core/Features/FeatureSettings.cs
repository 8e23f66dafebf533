namespace Synthio.Features;

/// <summary>
/// Settings of the embedded feature extractor. Stored inside every trained model so prediction
/// computes exactly the features the model was trained on.
/// </summary>
public sealed record FeatureSettings
{
    public static FeatureSettings Default { get; } = new();

    /// <summary>Clips are resampled to this rate before analysis.</summary>
    public int SampleRate { get; init; } = 16000;

    public int FftSize { get; init; } = 512;

    public double FrameSeconds { get; init; } = 0.025;

    public double HopSeconds { get; init; } = 0.010;

    public int MelBands { get; init; } = 40;

    public int MfccCount { get; init; } = 20;
}
