using System.Text.Json;
using Synthio.Diagnostics;

namespace Synthio.Onnx.Clap;

/// <summary>
/// The CLAP audio front end as <c>preprocessor_config.json</c> states it (HF <c>ClapFeatureExtractor</c>):
/// 48 kHz, n_fft 1024, hop 480, 64 Slaney mel bins between 50 and 14000 Hz, 10 s by repeat-padding or truncation.
/// </summary>
public sealed record ClapFrontEndSettings(
    int SampleRate = 48000,
    int FftSize = 1024,
    int HopLength = 480,
    int MelBins = 64,
    double MinFrequency = 50,
    double MaxFrequency = 14000,
    double MaxLengthSeconds = 10,
    string Padding = "repeatpad")
{
    /// <summary>The values of the public LAION CLAP (HTSAT, unfused) export.</summary>
    public static ClapFrontEndSettings Default { get; } = new();

    /// <summary>Samples in the fixed-length window the audio encoder sees.</summary>
    public int WindowSamples => (int)Math.Round(MaxLengthSeconds * SampleRate);

    /// <summary>Frames of the centred STFT over <see cref="WindowSamples"/> (1001 for the defaults).</summary>
    public int Frames => 1 + WindowSamples / HopLength;

    /// <summary>Reads a <c>preprocessor_config.json</c>; keys it lacks keep the defaults.</summary>
    public static ClapFrontEndSettings Load(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var settings = new ClapFrontEndSettings(
                SampleRate: Int(root, "sampling_rate", Default.SampleRate),
                FftSize: Int(root, "fft_window_size", Default.FftSize),
                HopLength: Int(root, "hop_length", Default.HopLength),
                MelBins: Int(root, "feature_size", Default.MelBins),
                MinFrequency: Number(root, "frequency_min", Default.MinFrequency),
                MaxFrequency: Number(root, "frequency_max", Default.MaxFrequency),
                MaxLengthSeconds: Number(root, "max_length_s", Default.MaxLengthSeconds),
                Padding: root.TryGetProperty("padding", out var padding) && padding.ValueKind == JsonValueKind.String
                    ? padding.GetString()!
                    : Default.Padding);
            settings.Validate(path);
            return settings;
        }
        catch (JsonException exception)
        {
            throw new SynthioException(
                DiagnosticCodes.ModelBundleInvalid, $"{Path.GetFileName(path)} is not valid JSON: {exception.Message}", path, exception);
        }
    }

    internal void Validate(string? path)
    {
        var problems = new List<string>();
        if (SampleRate <= 0 || HopLength <= 0 || MelBins <= 0 || MaxLengthSeconds <= 0)
        {
            problems.Add("sampling_rate, hop_length, feature_size and max_length_s must be positive");
        }

        if (FftSize < 2 || (FftSize & (FftSize - 1)) != 0)
        {
            problems.Add($"fft_window_size {FftSize} is not a power of two");
        }

        if (MinFrequency < 0 || MaxFrequency <= MinFrequency || MaxFrequency > SampleRate / 2.0)
        {
            problems.Add($"frequency range {MinFrequency}–{MaxFrequency} Hz does not fit below Nyquist");
        }

        if (Padding is not ("repeatpad" or "repeat" or "pad"))
        {
            problems.Add($"padding '{Padding}' is not one of repeatpad, repeat, pad");
        }

        if (problems.Count > 0)
        {
            throw new SynthioException(
                DiagnosticCodes.ModelBundleInvalid, $"Unsupported CLAP front end: {string.Join("; ", problems)}.", path);
        }
    }

    private static int Int(JsonElement root, string name, int fallback) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? (int)value.GetDouble() : fallback;

    private static double Number(JsonElement root, string name, double fallback) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : fallback;
}
