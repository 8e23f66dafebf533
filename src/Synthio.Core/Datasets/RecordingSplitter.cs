using System.Globalization;
using Synthio.Audio;

namespace Synthio.Datasets;

/// <summary>What splitting one recording wrote and left out.</summary>
/// <param name="Segments">The files written, in time order.</param>
/// <param name="SilentSkipped">Segments left out because they were silent.</param>
/// <param name="LeftOverSeconds">The tail shorter than half a segment, left out.</param>
public sealed record SplitRecording(string Source, IReadOnlyList<string> Segments, int SilentSkipped, double LeftOverSeconds);

/// <summary>
/// Cuts long recordings into clips a dataset can hold: consecutive segments of a fixed length, written as
/// 16-bit WAV files named <c>&lt;recording&gt;-&lt;index&gt;.wav</c> at the recording's own rate (channels averaged).
/// Silent segments are left out (a model trained on them would learn that silence is the label), and so is a
/// tail shorter than half a segment; a longer tail is kept whole. The segments of one recording share its name,
/// which <see cref="GroupPattern"/> turns into one group, so that the holdout and the cross-validation never
/// test on a segment whose neighbour trained the model.
/// </summary>
public static class RecordingSplitter
{
    /// <summary>The group pattern that keeps each recording's segments together (written without backslashes, so it reads the same in a shell, a project file or JSON).</summary>
    public const string GroupPattern = "^(.+)-[0-9]+[.]wav$";

    public static SplitRecording Split(string recording, string outputFolder, double segmentSeconds)
    {
        if (!(segmentSeconds > 0) || double.IsInfinity(segmentSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(segmentSeconds), segmentSeconds, "The segment length must be a positive number of seconds.");
        }

        var audio = AudioFile.ReadMono(recording);
        var length = Math.Max(1, (int)Math.Round(segmentSeconds * audio.SampleRate));
        var count = audio.Length / length;
        var tail = audio.Length - (count * length);
        var keepTail = tail >= length / 2 && tail > 0;
        var total = count + (keepTail ? 1 : 0);
        var digits = Math.Max(3, total.ToString(CultureInfo.InvariantCulture).Length);
        var stem = Path.GetFileNameWithoutExtension(recording);
        Directory.CreateDirectory(outputFolder);
        var written = new List<string>();
        var silent = 0;
        for (var i = 0; i < total; i++)
        {
            var start = i * length;
            var segment = new AudioBuffer(audio.Samples.AsSpan(start, Math.Min(length, audio.Length - start)).ToArray(), audio.SampleRate);
            if (AudioOps.IsSilent(segment))
            {
                silent++;
                continue;
            }

            // Named by position in the recording, so a segment keeps its name when others are skipped.
            var path = Path.Combine(outputFolder, $"{stem}-{i.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0')}.wav");
            WavFile.WriteMono(path, segment);
            written.Add(path);
        }

        return new SplitRecording(recording, written, silent, keepTail ? 0 : (double)tail / audio.SampleRate);
    }
}
