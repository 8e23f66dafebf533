using Synthio.Audio;
using Synthio.Diagnostics;

namespace Synthio.Cli.Commands;

/// <summary>Command-line arguments that name audio files or folders of them (predict, split).</summary>
internal static class AudioArguments
{
    /// <summary>A file stays itself; a folder becomes its audio files in path order, or itself when it has none (so that it is reported).</summary>
    public static IEnumerable<string> Expand(string argument)
    {
        if (!Directory.Exists(argument))
        {
            return [argument];
        }

        var files = AudioFile.EnumerateUnder(argument).ToArray();
        return files.Length > 0 ? files : [argument];
    }

    /// <summary>Throws the coded error for an expanded argument that is not a file: an empty folder (<c>SYN1002</c>) or nothing at all (<c>SYN1001</c>).</summary>
    public static void RequireFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new SynthioException(DiagnosticCodes.EmptyLabel, $"folder '{path}' holds no audio files ({AudioFile.FormatList})", path);
        }

        if (!File.Exists(path))
        {
            throw new SynthioException(DiagnosticCodes.DatasetNotFound, $"'{path}' does not exist", path);
        }
    }
}
