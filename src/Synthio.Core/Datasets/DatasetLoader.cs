using System.Globalization;
using Synthio.Audio;
using Synthio.Diagnostics;

namespace Synthio.Datasets;

/// <summary>
/// Reads a dataset: a folder with one sub-folder per label, or a CSV of <c>path,label[,split]</c>.
/// Problems that only affect one file are reported as warnings and the file is skipped; problems that
/// make the whole dataset unusable throw <see cref="SynthioException"/>.
/// </summary>
public static class DatasetLoader
{
    public static Dataset Load(string source, IPipelineReporter reporter, bool allowOutsidePaths = false)
    {
        var full = Path.GetFullPath(source);
        if (Directory.Exists(full))
        {
            return LoadFolder(full, reporter);
        }

        if (File.Exists(full) && string.Equals(Path.GetExtension(full), ".csv", StringComparison.OrdinalIgnoreCase))
        {
            return LoadCsv(full, reporter, allowOutsidePaths);
        }

        throw new SynthioException(DiagnosticCodes.DatasetNotFound, $"dataset '{source}' was not found (expected a folder of label folders or a .csv file)", full);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies under it (both full paths).</summary>
    public static bool IsWithin(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    private static Dataset LoadFolder(string root, IPipelineReporter reporter)
    {
        var clips = new List<DatasetClip>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            // Notes beside the label folders (a README) are fine; audio there has no label.
            if (AudioFile.HasAudioExtension(file))
            {
                reporter.Report(Diagnostic.Warning(DiagnosticCodes.NotAudioFile, $"'{file}' is not inside a label folder, so it has no label; it is skipped", file));
            }
        }

        foreach (var labelDir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var label = Path.GetFileName(labelDir);
            if (label.StartsWith('.'))
            {
                continue;
            }

            var count = 0;
            foreach (var file in Directory.EnumerateFiles(labelDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                if (name.StartsWith('.'))
                {
                    continue;
                }

                if (!AudioFile.HasAudioExtension(file))
                {
                    reporter.Report(Diagnostic.Warning(DiagnosticCodes.NotAudioFile, AudioFile.NotReadReason(file), file));
                    continue;
                }

                clips.Add(new DatasetClip(file, label));
                count++;
            }

            if (count == 0)
            {
                reporter.Report(Diagnostic.Warning(DiagnosticCodes.EmptyLabel, $"label folder '{labelDir}' holds no audio files ({AudioFile.FormatList}); the label is skipped", labelDir));
            }
        }

        return Finish(root, clips);
    }

    private static Dataset LoadCsv(string csvPath, IPipelineReporter reporter, bool allowOutsidePaths)
    {
        var baseDir = Path.GetDirectoryName(csvPath)!;
        var clips = new List<DatasetClip>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(csvPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = SplitCsvLine(line);
            if (lineNumber == 1 && fields.Count >= 2 && fields[0].Trim().Equals("path", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (fields.Count < 2 || string.IsNullOrWhiteSpace(fields[0]) || string.IsNullOrWhiteSpace(fields[1]))
            {
                reporter.Report(Diagnostic.Warning(DiagnosticCodes.BadCsvRow, $"{csvPath}({lineNumber}): expected 'path,label[,split]'; the row is skipped", csvPath));
                continue;
            }

            var path = Path.GetFullPath(Path.Combine(baseDir, fields[0].Trim()));
            if (!allowOutsidePaths && !IsWithin(path, baseDir))
            {
                throw new SynthioException(
                    DiagnosticCodes.PathOutsideDataset,
                    $"{csvPath}({lineNumber}): '{fields[0].Trim()}' points outside the dataset folder; pass --allow-outside-paths (in a project: SynthioAllowOutsidePaths=true) to allow it",
                    csvPath);
            }

            if (!File.Exists(path))
            {
                reporter.Report(Diagnostic.Warning(DiagnosticCodes.DatasetNotFound, $"{csvPath}({lineNumber}): '{path}' does not exist; the row is skipped", path));
                continue;
            }

            var split = ClipSplit.Train;
            if (fields.Count >= 3 && !string.IsNullOrWhiteSpace(fields[2]))
            {
                var word = fields[2].Trim().ToLower(CultureInfo.InvariantCulture);
                split = word switch
                {
                    "train" or "training" => ClipSplit.Train,
                    "test" or "holdout" or "eval" or "evaluation" or "validation" => ClipSplit.Test,
                    _ => throw new SynthioException(DiagnosticCodes.BadCsvRow, $"{csvPath}({lineNumber}): unknown split '{fields[2].Trim()}' (use train or test)", csvPath),
                };
            }

            clips.Add(new DatasetClip(path, fields[1].Trim(), split));
        }

        return Finish(csvPath, clips);
    }

    private static Dataset Finish(string source, List<DatasetClip> clips)
    {
        if (clips.Count == 0)
        {
            // Most often a new project's empty dataset: say what a dataset looks like.
            var shape = Directory.Exists(source)
                ? $"put audio files ({AudioFile.FormatList}) in one sub-folder per label, such as '{Path.Combine(source, "dog", "bark-01.wav")}'"
                : "list one clip per row as path,label[,split], paths relative to the CSV";
            throw new SynthioException(DiagnosticCodes.EmptyDataset, $"dataset '{source}' holds no audio clips; {shape}", source);
        }

        return new Dataset(source, clips);
    }

    // Minimal RFC 4180 field splitting: quotes may wrap a field and "" escapes a quote.
    private static List<string> SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(ch);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
