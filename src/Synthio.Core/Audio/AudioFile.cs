using NLayer;
using NVorbis;
using Synthio.Diagnostics;

namespace Synthio.Audio;

/// <summary>
/// Reads the audio files a dataset may hold: WAV, AIFF, FLAC, MP3, Ogg Vorbis, and Opus in Ogg or WebM. The
/// format is told by the file's first bytes, not its name, so a mislabelled file is still read right. Everything
/// the engine writes stays WAV (<see cref="WavFile"/>).
/// </summary>
public static class AudioFile
{
    /// <summary>The extensions a dataset's audio files may have; other files in a label folder are reported and skipped.</summary>
    public static IReadOnlySet<string> Extensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".wav", ".wave", ".flac", ".mp3", ".ogg", ".oga", ".opus", ".webm", ".mka", ".aif", ".aiff", ".aifc",
    };

    /// <summary>Extensions of common audio formats that are not read, each with what it holds, so a skipped file can say why.</summary>
    private static readonly Dictionary<string, string> UnreadFormats = new(StringComparer.OrdinalIgnoreCase)
    {
        [".m4a"] = "AAC (MP4)",
        [".aac"] = "AAC",
        [".mp4"] = "MP4",
        [".wma"] = "Windows Media (WMA)",
        [".amr"] = "AMR",
        [".caf"] = "Core Audio (CAF)",
    };

    /// <summary>How the formats read are named in messages.</summary>
    public const string FormatList = "WAV, AIFF, FLAC, MP3, Ogg Vorbis or Opus (Ogg or WebM)";

    /// <summary>
    /// Why a file with another extension is skipped: for a known audio format that is not read, what it is and how to
    /// convert it.
    /// </summary>
    public static string NotReadReason(string path) =>
        UnreadFormats.TryGetValue(Path.GetExtension(path), out var format)
            ? $"{UnreadFormat(path, format)}; it is skipped"
            : $"'{path}' is not a {FormatList} file and is skipped";

    private static string UnreadFormat(string path, string format) =>
        $"'{path}' is {format} audio, which is not read: convert it to {FormatList} (for example `ffmpeg -i \"{Path.GetFileName(path)}\" \"{Path.GetFileNameWithoutExtension(path)}.wav\"`)";

    /// <summary>True when <paramref name="path"/> has one of <see cref="Extensions"/>.</summary>
    public static bool HasAudioExtension(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <summary>Reads a file and averages its channels into one.</summary>
    /// <exception cref="SynthioException">The file cannot be read or decoded (<c>SYN1003</c>) or is not audio in a format we read (<c>SYN1004</c>).</exception>
    public static AudioBuffer ReadMono(string path) => DecodeMono(ReadBytes(path), path);

    /// <summary>Every audio file under <paramref name="folder"/>, in path order.</summary>
    public static IEnumerable<string> EnumerateUnder(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(HasAudioExtension).Order(StringComparer.Ordinal);

    /// <summary>A file's bytes; a file that cannot be read is <c>SYN1003</c>.</summary>
    internal static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SynthioException(DiagnosticCodes.UnreadableAudio, $"cannot read '{path}': {ex.Message}", path, ex);
        }
    }

    /// <summary>Decodes the bytes of a file in any format we read; <paramref name="nameForErrors"/> names it in errors.</summary>
    public static AudioBuffer DecodeMono(byte[] data, string nameForErrors) => Detect(data) switch
    {
        AudioContainer.Wav => WavFile.ParseMono(data, nameForErrors),
        AudioContainer.Flac => FlacDecoder.Decode(data, nameForErrors).ToMono(),
        AudioContainer.Mp3 => DecodeMp3(data, nameForErrors),
        AudioContainer.OggVorbis => DecodeVorbis(data, nameForErrors),
        AudioContainer.OggOpus => OggOpusDecoder.DecodeMono(data, nameForErrors),
        AudioContainer.Aiff => AiffDecoder.Decode(data, nameForErrors).ToMono(),
        AudioContainer.Matroska => MatroskaOpusDecoder.DecodeMono(data, nameForErrors),
        AudioContainer.Mp4 => throw new SynthioException(DiagnosticCodes.NotAudioFile, UnreadFormat(nameForErrors, "AAC (MP4)"), nameForErrors),
        _ => throw new SynthioException(
            DiagnosticCodes.NotAudioFile,
            UnreadFormats.TryGetValue(Path.GetExtension(nameForErrors), out var format)
                ? UnreadFormat(nameForErrors, format)
                : $"'{nameForErrors}' is not a {FormatList} file (its first bytes are {Describe(data)})",
            nameForErrors),
    };

    internal enum AudioContainer
    {
        Unknown,
        Wav,
        Flac,
        Mp3,
        OggVorbis,
        OggOpus,
        Aiff,
        Matroska,
        Mp4,
    }

    internal static AudioContainer Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return AudioContainer.Wav;
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("FORM"u8) && (data.Slice(8, 4).SequenceEqual("AIFF"u8) || data.Slice(8, 4).SequenceEqual("AIFC"u8)))
        {
            return AudioContainer.Aiff;
        }

        if (data.Length >= 4 && data[..4].SequenceEqual("OggS"u8))
        {
            // The first page carries the codec's identification header.
            var head = data[..Math.Min(data.Length, 128)];
            return head.IndexOf("\u0001vorbis"u8) >= 0 ? AudioContainer.OggVorbis
                : head.IndexOf("OpusHead"u8) >= 0 ? AudioContainer.OggOpus
                : AudioContainer.Unknown;
        }

        if (data.Length >= 4 && data[..4].SequenceEqual((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return AudioContainer.Matroska; // EBML's magic
        }

        if (data.Length >= 8 && data.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return AudioContainer.Mp4;
        }

        // FLAC and MP3 may both sit behind an ID3v2 tag.
        var start = SkipId3v2(data);
        var body = data[start..];
        if (body.Length >= 4 && body[..4].SequenceEqual("fLaC"u8))
        {
            return AudioContainer.Flac;
        }

        if (IsMpegAudioFrame(body))
        {
            return AudioContainer.Mp3;
        }

        return AudioContainer.Unknown;
    }

    /// <summary>The offset past an ID3v2 tag at the start of <paramref name="data"/>, or 0 without one.</summary>
    internal static int SkipId3v2(ReadOnlySpan<byte> data)
    {
        if (data.Length < 10 || !data[..3].SequenceEqual("ID3"u8))
        {
            return 0;
        }

        // Size is four 7-bit bytes ("syncsafe"), after a 10-byte header; a footer adds 10 more.
        var size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9];
        var total = 10 + size + ((data[5] & 0x10) != 0 ? 10 : 0);
        return Math.Min(total, data.Length);
    }

    private static bool IsMpegAudioFrame(ReadOnlySpan<byte> data)
    {
        // 11 sync bits, a valid version, layer, bitrate index and sample rate index.
        if (data.Length < 4 || data[0] != 0xFF || (data[1] & 0xE0) != 0xE0)
        {
            return false;
        }

        var version = (data[1] >> 3) & 3;
        var layer = (data[1] >> 1) & 3;
        var bitrate = data[2] >> 4;
        var rate = (data[2] >> 2) & 3;
        return version != 1 && layer != 0 && bitrate != 15 && rate != 3;
    }

    // The packaged decoders throw whatever their parsers meet on damaged input; each becomes one coded error.
    private static AudioBuffer DecodeMp3(byte[] data, string name)
    {
        try
        {
            using var mpeg = new MpegFile(new MemoryStream(data, writable: false));
            return Interleaved(name, mpeg.SampleRate, mpeg.Channels, (buffer, offset, count) => mpeg.ReadSamples(buffer, offset, count));
        }
        catch (Exception ex) when (ex is not (SynthioException or OutOfMemoryException))
        {
            throw new SynthioException(DiagnosticCodes.UnreadableAudio, $"'{name}' is not a valid MP3 file: {ex.Message}", name, ex);
        }
    }

    private static AudioBuffer DecodeVorbis(byte[] data, string name)
    {
        try
        {
            using var vorbis = new VorbisReader(new MemoryStream(data, writable: false), closeOnDispose: true);
            return Interleaved(name, vorbis.SampleRate, vorbis.Channels, (buffer, offset, count) => vorbis.ReadSamples(buffer, offset, count));
        }
        catch (Exception ex) when (ex is not (SynthioException or OutOfMemoryException))
        {
            throw new SynthioException(DiagnosticCodes.UnreadableAudio, $"'{name}' is not a valid Ogg Vorbis file: {ex.Message}", name, ex);
        }
    }

    /// <summary>Drains a decoder that yields interleaved float samples and averages its channels.</summary>
    private static AudioBuffer Interleaved(string name, int sampleRate, int channels, Func<float[], int, int, int> read)
    {
        if (sampleRate <= 0 || channels <= 0)
        {
            throw new SynthioException(DiagnosticCodes.UnreadableAudio, $"'{name}' declares {sampleRate} Hz and {channels} channels", name);
        }

        var buffer = new float[8192 * channels];
        var samples = new float[sampleRate * channels];
        var total = 0;
        int got;
        while ((got = read(buffer, 0, buffer.Length)) > 0)
        {
            if (total + got > samples.Length)
            {
                Array.Resize(ref samples, Math.Max(total + got, samples.Length * 2));
            }

            Array.Copy(buffer, 0, samples, total, got);
            total += got;
        }

        if (total == 0)
        {
            // Headers but no audio: most often a file cut off in copying or downloading.
            throw new SynthioException(DiagnosticCodes.UnreadableAudio, $"'{name}' holds headers but no audio that decodes: it may be cut off", name);
        }

        var frames = total / channels;
        var mono = new float[frames];
        var scale = 1f / channels;
        for (var i = 0; i < frames; i++)
        {
            float sum = 0;
            for (var c = 0; c < channels; c++)
            {
                sum += samples[(i * channels) + c];
            }

            mono[i] = sum * scale;
        }

        return new AudioBuffer(mono, sampleRate);
    }

    private static string Describe(ReadOnlySpan<byte> data) =>
        data.Length == 0 ? "none: it is empty" : Convert.ToHexString(data[..Math.Min(8, data.Length)]);
}
