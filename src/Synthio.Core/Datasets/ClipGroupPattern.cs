using System.Text.RegularExpressions;
using Synthio.Diagnostics;

namespace Synthio.Datasets;

/// <summary>
/// Groups near-duplicate clips by a regular expression on their path (<c>GroupPattern</c>,
/// <c>--group-pattern</c>): the first capture group, or the whole match when the pattern has none, is the
/// clip's group. Clips of one label in one group (takes cut from one recording, one speaker's repeats of a
/// word) then never sit on both sides of a split: otherwise a validation clip's twin in training makes
/// cross-validation and the build's held-out score look better than new recordings will be.
/// </summary>
public sealed class ClipGroupPattern
{
    private readonly Regex _regex;

    private ClipGroupPattern(Regex regex) => _regex = regex;

    /// <summary>The pattern as given.</summary>
    public string Pattern => _regex.ToString();

    /// <summary>Null or blank text means no grouping (every clip is its own group).</summary>
    public static ClipGroupPattern? Parse(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return null;
        }

        try
        {
            return new ClipGroupPattern(new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        }
        catch (ArgumentException e)
        {
            throw new SynthioException(DiagnosticCodes.BadGroupPattern, $"group pattern '{pattern}' is not a valid regular expression: {e.Message}");
        }
    }

    /// <summary>
    /// The text the pattern is matched against: the path relative to the clip's label folder (a folder
    /// dataset) or to the CSV's folder (a CSV dataset), with '/' between folders.
    /// </summary>
    public static string SubjectOf(Dataset dataset, DatasetClip clip)
    {
        var isCsv = string.Equals(Path.GetExtension(dataset.Source), ".csv", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(dataset.Source);
        var root = isCsv ? Path.GetDirectoryName(Path.GetFullPath(dataset.Source))! : Path.Combine(Path.GetFullPath(dataset.Source), clip.Label);
        var relative = Path.GetRelativePath(root, clip.Path);
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>The group of one subject, or null when the pattern does not match it.</summary>
    public string? GroupOf(string subject)
    {
        var match = _regex.Match(subject);
        if (!match.Success)
        {
            return null;
        }

        return match.Groups.Count > 1 && match.Groups[1].Success ? match.Groups[1].Value : match.Value;
    }

    /// <summary>The dataset grouped by <paramref name="pattern"/>, or unchanged when there is none.</summary>
    public static Dataset Apply(Dataset dataset, string? pattern, IPipelineReporter reporter) =>
        Parse(pattern) is { } groups ? groups.Apply(dataset, reporter) : dataset;

    /// <summary>The dataset with every clip's group set; warns when the pattern matches no clip at all.</summary>
    public Dataset Apply(Dataset dataset, IPipelineReporter reporter)
    {
        var clips = dataset.Clips.Select(c => c with { Group = GroupOf(SubjectOf(dataset, c)) }).ToArray();
        var matched = clips.Count(c => c.Group is not null);
        if (matched == 0)
        {
            reporter.Report(Diagnostic.Warning(
                DiagnosticCodes.GroupPatternMatchedNothing,
                $"group pattern '{Pattern}' matches none of the {clips.Length} clips' paths (for example '{SubjectOf(dataset, dataset.Clips[0])}'); every clip is its own group",
                dataset.Source));
        }
        else
        {
            var groups = clips.Where(c => c.Group is not null).Select(c => (c.Label, c.Group)).Distinct().Count();
            reporter.Info($"group pattern '{Pattern}': {matched} of {clips.Length} clips in {groups} groups; clips of one label and group stay on one side of every split");
        }

        return dataset.WithClips(clips);
    }
}
