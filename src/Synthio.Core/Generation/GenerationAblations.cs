namespace Synthio.Generation;

/// <summary>
/// Switches that turn single parts of the method off, so evaluation can measure what each adds
/// (the paper's ablations). The pipeline reads them; they belong in every dependent cache key.
/// </summary>
/// <param name="NoMixCap">Captions come from each gold clip's own components instead of the label's pooled, sub-sampled ones.</param>
/// <param name="NoFilter">Every generated clip is kept; nothing is scored against the threshold.</param>
/// <param name="NoReflection">Rejected captions are dropped instead of rewritten and regenerated.</param>
/// <param name="NoAlignment">The generator runs with default parameters instead of preference-tuned ones.</param>
public sealed record GenerationAblations(bool NoMixCap = false, bool NoFilter = false, bool NoReflection = false, bool NoAlignment = false)
{
    public static GenerationAblations None { get; } = new();

    /// <summary>The names <see cref="Parse"/> accepts, in canonical order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["no-mixcap", "no-filter", "no-reflection", "no-alignment"];

    public bool Any => NoMixCap || NoFilter || NoReflection || NoAlignment;

    /// <summary>
    /// Reads a comma- or plus-separated list such as <c>no-filter,no-alignment</c> (case-insensitive;
    /// "none" or empty means all parts on). Throws <see cref="FormatException"/> naming the valid switches.
    /// </summary>
    public static GenerationAblations Parse(string? text)
    {
        var result = None;
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        foreach (var raw in text.Split([',', '+', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result = raw.ToLowerInvariant().Replace("_", "-", StringComparison.Ordinal) switch
            {
                "none" => result,
                "no-mixcap" or "nomixcap" => result with { NoMixCap = true },
                "no-filter" or "nofilter" => result with { NoFilter = true },
                "no-reflection" or "noreflection" or "no-self-reflection" => result with { NoReflection = true },
                "no-alignment" or "noalignment" or "no-preference-tuning" => result with { NoAlignment = true },
                _ => throw new FormatException($"unknown ablation '{raw}' (valid: {string.Join(", ", Names)}, none)"),
            };
        }

        return result;
    }

    /// <summary>Canonical text ("none" or the active switches in <see cref="Names"/> order), stable for cache keys.</summary>
    public override string ToString()
    {
        var active = new List<string>();
        if (NoMixCap)
        {
            active.Add(Names[0]);
        }

        if (NoFilter)
        {
            active.Add(Names[1]);
        }

        if (NoReflection)
        {
            active.Add(Names[2]);
        }

        if (NoAlignment)
        {
            active.Add(Names[3]);
        }

        return active.Count == 0 ? "none" : string.Join(',', active);
    }
}
