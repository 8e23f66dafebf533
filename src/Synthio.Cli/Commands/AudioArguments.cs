using Synthio.Audio;

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

        var files = Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories)
            .Where(AudioFile.HasAudioExtension)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return files.Length > 0 ? files : [argument];
    }
}
