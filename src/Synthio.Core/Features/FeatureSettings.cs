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

    /// <summary>FFT length in samples; raised to the next power of two at least as long as a frame.</summary>
    public int FftSize { get; init; } = 512;

    /// <summary>Analysis frame (Hann window) length in seconds.</summary>
    public double FrameSeconds { get; init; } = 0.025;

    /// <summary>Step between frames in seconds.</summary>
    public double HopSeconds { get; init; } = 0.010;

    /// <summary>Number of triangular mel (HTK scale) bands of the log-mel spectrogram.</summary>
    public int MelBands { get; init; } = 40;

    /// <summary>Number of cepstral coefficients kept (c0 included).</summary>
    public int MfccCount { get; init; } = 20;

    /// <summary>Lowest frequency of the mel filter bank in Hz.</summary>
    public double MelMinHz { get; init; }

    /// <summary>Highest frequency of the mel filter bank in Hz; 0 means the Nyquist frequency.</summary>
    public double MelMaxHz { get; init; }

    /// <summary>Fraction of spectral magnitude below the roll-off frequency.</summary>
    public double RolloffFraction { get; init; } = 0.85;

    /// <summary>
    /// Adds the spread (standard deviation over time) of delta and delta-delta MFCCs to the vector. Off by
    /// default: at a few clips per label these dynamics features measurably hurt linear trainers (they add
    /// dimensions that are mostly noise at small n), while the tree trainers do not need them.
    /// </summary>
    public bool IncludeDeltas { get; init; }
}
