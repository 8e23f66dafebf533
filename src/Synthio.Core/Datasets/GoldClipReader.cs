using System.Globalization;
using Synthio.Audio;
using Synthio.Diagnostics;

namespace Synthio.Datasets;

/// <summary>
/// Decodes a dataset clip for generation or training and refuses one that cannot teach anything: no
/// samples (<c>SYN1009</c>), longer than the limit (<c>SYN1008</c>), or silent (<c>SYN1013</c>: a model
/// trained on it learns that silence is the clip's label). <c>augment</c>, <c>train</c> and <c>evaluate</c>
/// read clips through it, so a clip one of them skips the others skip too.
/// </summary>
public static class GoldClipReader
{
    /// <summary>Longest clip read, in seconds: longer recordings want splitting into clips first.</summary>
    public const double DefaultMaxSeconds = 600;

    /// <exception cref="SynthioException">The file cannot be decoded, or the clip is refused (the code says why).</exception>
    public static AudioBuffer Read(string path, double maxSeconds = DefaultMaxSeconds)
    {
        var audio = AudioFile.ReadMono(path);
        if (audio.Length == 0)
        {
            throw new SynthioException(DiagnosticCodes.EmptyAudio, $"'{path}' holds no samples", path);
        }

        if (audio.DurationSeconds > maxSeconds)
        {
            throw new SynthioException(
                DiagnosticCodes.AudioTooLong,
                $"'{path}' lasts {(audio.DurationSeconds / 60).ToString("0.#", CultureInfo.InvariantCulture)} minutes, over the {(maxSeconds / 60).ToString("0.#", CultureInfo.InvariantCulture)}-minute limit: cut it into clips with 'dotnet synthio split'",
                path);
        }

        if (AudioOps.IsSilent(audio))
        {
            throw new SynthioException(DiagnosticCodes.SilentAudio, $"'{path}' is silent (it {AudioOps.DescribeSilence(audio)}): a model trained on it would learn that silence is its label", path);
        }

        return audio;
    }
}
