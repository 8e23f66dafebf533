using System.Globalization;
using System.Text.RegularExpressions;
using Synthio.Diagnostics;

namespace Synthio.Policy;

/// <summary>Where a policy's extra clips come from.</summary>
public enum AugmentationSource
{
    /// <summary>No extra clips: the gold clips alone.</summary>
    None,

    /// <summary>Audiomentations-style transforms of each gold clip (gain, noise, shift, stretch, pitch, reverb…).</summary>
    Classic,

    /// <summary>Label-consistent clips from the Synthio pipeline (MixCap captions, generation, filter, reflection).</summary>
    Synthio,

    /// <summary>Half of the copies from each: synthio gets the odd one out.</summary>
    Both,
}

/// <summary>
/// How much augmentation, and of which kind: <see cref="Multiplier"/> extra clips per gold training clip
/// from <see cref="Source"/>. Written as <c>gold-only</c>, <c>classic×4</c>, <c>synthio×2</c>, <c>both×8</c>.
/// </summary>
public sealed record AugmentationPolicy(AugmentationSource Source, int Multiplier)
{
    public static AugmentationPolicy GoldOnly { get; } = new(AugmentationSource.None, 0);

    /// <summary>
    /// What the automatic search tries: nothing, and 1, 2, 4, 8 copies of classic, synthio or both
    /// (both needs at least 2 copies, one of each).
    /// </summary>
    public static IReadOnlyList<AugmentationPolicy> DefaultCandidates { get; } = BuildDefaults();

    /// <summary>Synthio clips per gold clip.</summary>
    public int SynthioCopies => Source switch
    {
        AugmentationSource.Synthio => Multiplier,
        AugmentationSource.Both => (Multiplier + 1) / 2,
        _ => 0,
    };

    /// <summary>Classic copies per gold clip.</summary>
    public int ClassicCopies => Source switch
    {
        AugmentationSource.Classic => Multiplier,
        AugmentationSource.Both => Multiplier / 2,
        _ => 0,
    };

    public bool IsGoldOnly => Multiplier == 0 || Source == AugmentationSource.None;

    /// <summary>
    /// Orders policies from cheapest to dearest: fewer extra clips first, then classic (cheap transforms)
    /// before synthio (generation) before both. Ties between candidates go to the cheaper one.
    /// </summary>
    public int CostRank => IsGoldOnly ? 0 : (Multiplier * 4) + (int)Source;

    public string Name => IsGoldOnly
        ? "gold-only"
        : $"{Source.ToString().ToLowerInvariant()}×{Multiplier.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => Name;

    /// <summary>Parses <c>gold-only</c>, <c>classic×4</c>, <c>classic:4</c>, <c>synthio x2</c> and the like.</summary>
    public static AugmentationPolicy Parse(string text)
    {
        var trimmed = (text ?? string.Empty).Trim().ToLowerInvariant();
        if (trimmed is "gold-only" or "gold" or "none" or "0")
        {
            return GoldOnly;
        }

        var match = Regex.Match(trimmed, @"^(classic|synthio|both)\s*[×x:*]?\s*([0-9]{1,4})$", RegexOptions.CultureInvariant);
        if (match.Success)
        {
            var source = Enum.Parse<AugmentationSource>(match.Groups[1].Value, ignoreCase: true);
            var multiplier = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            return multiplier == 0 ? GoldOnly : new AugmentationPolicy(source, multiplier);
        }

        throw new SynthioException(DiagnosticCodes.BadOption, $"'{text}' is not an augmentation policy (expected gold-only, or classic, synthio or both with a count, e.g. classic×4)");
    }

    private static IReadOnlyList<AugmentationPolicy> BuildDefaults()
    {
        var list = new List<AugmentationPolicy> { GoldOnly };
        foreach (var multiplier in new[] { 1, 2, 4, 8 })
        {
            list.Add(new AugmentationPolicy(AugmentationSource.Classic, multiplier));
            list.Add(new AugmentationPolicy(AugmentationSource.Synthio, multiplier));
            if (multiplier >= 2)
            {
                list.Add(new AugmentationPolicy(AugmentationSource.Both, multiplier));
            }
        }

        return list.OrderBy(p => p.CostRank).ToArray();
    }
}
