using System.Globalization;

namespace Synthio.Filtering;

/// <summary>
/// The score a synthetic clip needs to be kept. Either a fixed number for every label (the paper's 0.85 for
/// CLAP), or <c>auto</c>: per label, the median score the scorer gives that label's own real clips when it has
/// not seen them, never above <see cref="Cap"/>. A scorer fitted on a few clips per label gives unseen real
/// clips far less than 0.85, and a fixed 0.85 then rejects synthetic clips as consistent with the label as
/// real ones; with a strong scorer the median reaches the cap and <c>auto</c> is the fixed threshold.
/// </summary>
public sealed record ScoreThreshold(double Cap, bool FromGold)
{
    /// <summary>The paper's fixed threshold.</summary>
    public static ScoreThreshold Paper { get; } = new(0.85, false);

    /// <summary>Per label from the gold clips' unseen scores, at most the paper's 0.85.</summary>
    public static ScoreThreshold Auto { get; } = new(0.85, true);

    /// <summary>A fixed threshold.</summary>
    public static ScoreThreshold Fixed(double value) => new(value, false);

    /// <summary>Parses <c>auto</c> or a number in [0, 1]; null with <paramref name="error"/> set otherwise.</summary>
    public static ScoreThreshold? TryParse(string? text, out string? error)
    {
        error = null;
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return Auto;
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1)
        {
            return Fixed(value);
        }

        error = $"threshold '{text}' is neither 'auto' nor a number between 0 and 1";
        return null;
    }

    /// <summary>
    /// The threshold of one label, given what the scorer gives the label's unseen gold clips (ignored when
    /// fixed; the cap when there are none, e.g. a label with a single clip).
    /// </summary>
    public double ForLabel(IReadOnlyList<double> unseenGoldScores)
    {
        ArgumentNullException.ThrowIfNull(unseenGoldScores);
        if (!FromGold || unseenGoldScores.Count == 0)
        {
            return Cap;
        }

        var sorted = unseenGoldScores.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return Math.Min(Cap, median);
    }

    /// <summary>The setting as the manifest and cache keys record it: the string <c>auto</c>, or the number itself.</summary>
    public object Setting => FromGold ? "auto" : Cap;

    /// <summary><c>auto</c>, or the number (as the command line and the manifest write it).</summary>
    public override string ToString() => FromGold ? "auto" : Cap.ToString("0.###", CultureInfo.InvariantCulture);
}
