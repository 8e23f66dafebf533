using System.Text;

namespace Synthio.Pipeline;

/// <summary>
/// Maps labels to folder names that are safe on every OS: no separators, no '..', no reserved device
/// names, no control characters. A label that had to change gets a short hash of the original so two
/// labels never collide; a label that is already safe maps to itself.
/// </summary>
public static class FileNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    public static string ForLabel(string label)
    {
        var builder = new StringBuilder(label.Length);
        foreach (var ch in label.Normalize(NormalizationForm.FormC))
        {
            var safe = char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' or ' ';
            builder.Append(safe ? ch : '_');
        }

        var candidate = builder.ToString().Trim().Trim('.');
        if (candidate.Length > 64)
        {
            candidate = candidate[..64];
        }

        var stem = candidate.Split('.')[0];
        if (candidate.Length == 0 || Reserved.Contains(stem) || candidate != label)
        {
            var hash = Caching.StepKey.Sha256Hex(label)[..8];
            candidate = candidate.Length == 0 ? $"label-{hash}" : $"{candidate}-{hash}";
        }

        return candidate;
    }
}
