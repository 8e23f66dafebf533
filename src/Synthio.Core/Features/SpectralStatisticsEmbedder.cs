using NWaves.FeatureExtractors;
using NWaves.FeatureExtractors.Options;
using NWaves.Signals;
using Synthio.Audio;

namespace Synthio.Features;

/// <summary>
/// The embedded <see cref="IAudioEmbedder"/>: frame-level MFCCs pooled over time (mean and standard
/// deviation) into one vector.
/// </summary>
public sealed class SpectralStatisticsEmbedder : IAudioEmbedder
{
    private const string Version = "1";

    public SpectralStatisticsEmbedder(FeatureSettings? settings = null)
    {
        Settings = settings ?? FeatureSettings.Default;
    }

    public FeatureSettings Settings { get; }

    public string Identity => $"spectral-statistics/{Version}/{System.Text.Json.JsonSerializer.Serialize(Settings)}";

    public int Dimension => Settings.MfccCount * 2;

    public float[] Embed(AudioBuffer audio)
    {
        var samples = audio.Samples;
        var minimum = (int)(Settings.FrameSeconds * audio.SampleRate) + 1;
        if (samples.Length < minimum)
        {
            Array.Resize(ref samples, minimum);
        }

        var extractor = new MfccExtractor(new MfccOptions
        {
            SamplingRate = audio.SampleRate,
            FeatureCount = Settings.MfccCount,
            FrameDuration = Settings.FrameSeconds,
            HopDuration = Settings.HopSeconds,
            FilterBankSize = Settings.MelBands,
        });
        var frames = extractor.ComputeFrom(new DiscreteSignal(audio.SampleRate, samples));
        var vector = new float[Dimension];
        var count = frames.Count;
        for (var k = 0; k < Settings.MfccCount; k++)
        {
            double sum = 0, sumSquares = 0;
            foreach (var frame in frames)
            {
                sum += frame[k];
                sumSquares += frame[k] * frame[k];
            }

            var mean = count > 0 ? sum / count : 0;
            var variance = count > 0 ? Math.Max(0, (sumSquares / count) - (mean * mean)) : 0;
            vector[k] = (float)mean;
            vector[Settings.MfccCount + k] = (float)Math.Sqrt(variance);
        }

        return vector;
    }
}
