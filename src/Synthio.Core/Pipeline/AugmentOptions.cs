using Synthio.Augmentation;
using Synthio.Datasets;
using Synthio.Features;
using Synthio.Filtering;
using Synthio.Generation;
using Synthio.Policy;

namespace Synthio.Pipeline;

/// <summary>Settings of one augmentation run (design §7 <c>augment</c>).</summary>
public sealed record AugmentOptions
{
    /// <summary>Synthetic clips per gold training clip (the paper's N, 1–5) when no <see cref="Policy"/> is given.</summary>
    public int Multiplier { get; init; } = 3;

    /// <summary>A fixed policy (e.g. classic×4); null means synthio×<see cref="Multiplier"/>. Ignored when <see cref="AutoPolicy"/> is set.</summary>
    public AugmentationPolicy? Policy { get; init; }

    /// <summary>Choose the policy by cross-validation on the training clips (<c>Multiplier="auto"</c>).</summary>
    public bool AutoPolicy { get; init; }

    /// <summary>Candidates, folds and budget of the automatic policy search (its seed is <see cref="Seed"/>).</summary>
    public PolicySearchOptions PolicySearch { get; init; } = new();

    /// <summary>
    /// Write the augmented clips as WAV files beside the manifest. Without, only the manifest is written and
    /// the run's result carries the clips' bytes (policy-search folds and evaluation use them in memory).
    /// </summary>
    public bool WriteClips { get; init; } = true;

    /// <summary>The policy a run without the automatic search uses.</summary>
    public AugmentationPolicy FixedPolicy => Policy ?? (Multiplier == 0 ? AugmentationPolicy.GoldOnly : new AugmentationPolicy(AugmentationSource.Synthio, Multiplier));

    public int Seed { get; init; }

    /// <summary>Label-consistency threshold on the scorer's output: fixed (the paper's 0.85) or per label (<c>auto</c>).</summary>
    public ScoreThreshold Threshold { get; init; } = ScoreThreshold.Paper;

    /// <summary>Self-reflection rounds for a rejected caption (the released code uses 2).</summary>
    public int ReflectionRounds { get; init; } = 2;

    /// <summary>Share of each label's clips held out for the report; 0 keeps every clip for training.</summary>
    public double HoldoutFraction { get; init; }

    /// <summary>Captions asked of the language model per MixCap request (the paper asks for 5).</summary>
    public int CaptionsPerRequest { get; init; } = 5;

    /// <summary>Share of each label's event and scene pools offered to one MixCap request (the paper keeps 75%).</summary>
    public double PoolKeepFraction { get; init; } = 0.75;

    /// <summary>Groups near-duplicate clips (see <see cref="Datasets.ClipGroupPattern"/>); null: every clip is its own group.</summary>
    public string? GroupPattern { get; init; }

    /// <summary>Allow CSV rows that point outside the CSV's folder.</summary>
    public bool AllowOutsidePaths { get; init; }

    /// <summary>Clips longer than this are skipped with a diagnostic.</summary>
    public double MaxClipSeconds { get; init; } = GoldClipReader.DefaultMaxSeconds;

    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    public GenerationAblations Ablations { get; init; } = GenerationAblations.None;

    /// <summary>
    /// The classic chain that makes classic copies, in fixed policies and in the policy search alike
    /// (<c>SynthioClassicKeepEnvelope</c>, <c>--classic-keep-envelope</c> set its pitch shift's envelope share).
    /// </summary>
    public ClassicAugmentationSettings Classic { get; init; } = ClassicAugmentationSettings.Default;

    /// <summary>
    /// The features the classifier will be trained on; the automatic policy search scores its candidates with
    /// them, so that it measures what augmentation does for that classifier. Null: spectral statistics.
    /// </summary>
    public IAudioEmbedder? ClassifierEmbedder { get; init; }
}
