namespace Synthio.Pipeline;

/// <summary>Ablation switches: each turns one part of the method off so evaluation can measure what it adds.</summary>
public sealed record AblationSwitches
{
    public static AblationSwitches None { get; } = new();

    /// <summary>Use the gold captions themselves as generation prompts instead of MixCap captions.</summary>
    public bool NoMixCap { get; init; }

    /// <summary>Keep every generated clip whatever its score.</summary>
    public bool NoFilter { get; init; }

    /// <summary>Drop rejected clips instead of rewriting their captions.</summary>
    public bool NoReflection { get; init; }

    /// <summary>Use the generator's default parameters instead of the dataset-tuned ones.</summary>
    public bool NoAlignment { get; init; }

    public override string ToString()
    {
        var parts = new List<string>();
        if (NoMixCap) parts.Add("no-mixcap");
        if (NoFilter) parts.Add("no-filter");
        if (NoReflection) parts.Add("no-reflection");
        if (NoAlignment) parts.Add("no-alignment");
        return parts.Count == 0 ? "full" : string.Join(",", parts);
    }
}

/// <summary>Settings of one augmentation run (design §7 <c>augment</c>).</summary>
public sealed record AugmentOptions
{
    /// <summary>Synthetic clips per gold training clip (the paper's N, 1–5).</summary>
    public int Multiplier { get; init; } = 3;

    public int Seed { get; init; }

    /// <summary>Label-consistency threshold on the scorer's output (the paper's 0.85).</summary>
    public double Threshold { get; init; } = 0.85;

    /// <summary>Self-reflection rounds for a rejected caption (the released code uses 2).</summary>
    public int ReflectionRounds { get; init; } = 2;

    /// <summary>Share of each label's clips held out for the report; 0 keeps every clip for training.</summary>
    public double HoldoutFraction { get; init; }

    /// <summary>Captions asked of the language model per MixCap request (the paper asks for 5).</summary>
    public int CaptionsPerRequest { get; init; } = 5;

    /// <summary>Share of each label's event and scene pools offered to one MixCap request (the paper keeps 75%).</summary>
    public double PoolKeepFraction { get; init; } = 0.75;

    /// <summary>Allow CSV rows that point outside the CSV's folder.</summary>
    public bool AllowOutsidePaths { get; init; }

    /// <summary>Clips longer than this are skipped with a diagnostic.</summary>
    public double MaxClipSeconds { get; init; } = 600;

    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    public AblationSwitches Ablations { get; init; } = AblationSwitches.None;
}
