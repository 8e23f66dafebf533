using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Synthio.Diagnostics;
using Synthio.Onnx.Runtime;

namespace Synthio.Onnx.Generation;

/// <summary>A graph of the bundle and the tensor names the sampler feeds and reads.</summary>
public sealed record BundleGraph
{
    /// <summary>File name relative to the bundle folder.</summary>
    public required string File { get; init; }

    /// <summary>Main input (decoder: the latent; vocoder: the decoder's output).</summary>
    public string? Input { get; init; }

    public string? Output { get; init; }
}

/// <summary>The text encoder: token ids (and optionally their mask) to conditioning.</summary>
public sealed record TextEncoderGraph
{
    public required string File { get; init; }

    public string InputIds { get; init; } = "input_ids";

    /// <summary>Fed with the tokenizer's mask when the graph has this input.</summary>
    public string AttentionMask { get; init; } = "attention_mask";

    public string Output { get; init; } = "last_hidden_state";
}

/// <summary>The denoiser and its input names.</summary>
public sealed record DenoiserGraph
{
    public required string File { get; init; }

    public string Sample { get; init; } = "sample";

    /// <summary>float32 or int64 <c>[batch]</c>: the schedule's model time.</summary>
    public string Timestep { get; init; } = "timestep";

    /// <summary>Receives the text encoder's output.</summary>
    public string Context { get; init; } = "encoder_hidden_states";

    /// <summary>Optional: fed with the token mask when the graph has this input.</summary>
    public string ContextMask { get; init; } = "encoder_attention_mask";

    /// <summary>Optional: float32 <c>[batch]</c> requested seconds (Stable Audio's <c>seconds_total</c>), fed when present.</summary>
    public string Duration { get; init; } = "seconds_total";

    public string Output { get; init; } = "out_sample";
}

/// <summary>Latent layout: <c>Shape</c> without the batch axis; one entry may be -1, the time axis sized from the duration.</summary>
public sealed record LatentSpec
{
    public required int[] Shape { get; init; }

    /// <summary>Latent frames per second of audio, for the -1 axis.</summary>
    public double FramesPerSecond { get; init; }

    /// <summary>The decoder gets latent / Scale (AudioLDM's VAE scaling factor; 1 when the decoder undoes it).</summary>
    public double Scale { get; init; } = 1.0;
}

/// <summary>The noise schedule as written in the manifest.</summary>
public sealed record ScheduleSpec
{
    /// <summary><c>scaled-linear</c>, <c>linear</c>, <c>cosine</c> (discrete) or <c>continuous-cosine</c>.</summary>
    public required string Kind { get; init; }

    public int TrainSteps { get; init; } = 1000;

    public double BetaStart { get; init; } = 0.00085;

    public double BetaEnd { get; init; } = 0.012;

    /// <summary>Continuous schedules: where sampling starts (≤ 1).</summary>
    public double MaxTime { get; init; } = 1.0;

    /// <summary>Continuous schedules: the denoiser receives t·TimeScale.</summary>
    public double TimeScale { get; init; } = 1.0;
}

/// <summary>Sampler defaults of the bundle; a caller may override them.</summary>
public sealed record SamplerSpec
{
    /// <summary><c>ddim</c> or <c>dpmpp-2m</c>.</summary>
    public string Kind { get; init; } = "dpmpp-2m";

    public int Steps { get; init; } = 50;

    /// <summary>Classifier-free guidance scale; 1 turns guidance off (no unconditional pass).</summary>
    public double GuidanceScale { get; init; } = 3.5;

    /// <summary>Text of the unconditional branch.</summary>
    public string NegativePrompt { get; init; } = string.Empty;
}

/// <summary>
/// <c>synthio-model.json</c>: a text-to-audio latent diffusion model exported to ONNX graphs
/// (text encoder, denoiser, latent decoder, optional vocoder) with its tokenizer and how to sample it.
/// See docs/onnx-backends.md.
/// </summary>
public sealed record DiffusionBundle
{
    public const string ManifestFile = "synthio-model.json";

    public const string CurrentFormat = "synthio-t2a/1";

    public required string Format { get; init; }

    public required string Name { get; init; }

    /// <summary>Sample rate of the decoded (or vocoded) waveform.</summary>
    public required int SampleRate { get; init; }

    /// <summary>HF <c>tokenizer.json</c> (byte-level BPE or Unigram).</summary>
    public required string Tokenizer { get; init; }

    /// <summary>Longest token sequence fed to the text encoder, special tokens included.</summary>
    public int MaxTokens { get; init; } = 128;

    public required TextEncoderGraph TextEncoder { get; init; }

    public required DenoiserGraph Denoiser { get; init; }

    /// <summary>Latent → waveform, or latent → mel when a <see cref="Vocoder"/> follows.</summary>
    public required BundleGraph LatentDecoder { get; init; }

    public BundleGraph? Vocoder { get; init; }

    public required LatentSpec Latent { get; init; }

    /// <summary><c>epsilon</c> or <c>v</c>.</summary>
    public required string Prediction { get; init; }

    public required ScheduleSpec Schedule { get; init; }

    public SamplerSpec Sampler { get; init; } = new();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>Serialises the manifest (used by export scripts' tests and documentation examples).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads and validates <c>synthio-model.json</c> in <paramref name="bundleDirectory"/>.</summary>
    /// <exception cref="SynthioException">SYN3002 naming the missing file or the invalid field.</exception>
    public static DiffusionBundle Load(string bundleDirectory)
    {
        var folder = ModelFiles.RequireFolder(bundleDirectory, "text-to-audio bundle");
        var path = ModelFiles.Require(folder, ManifestFile, "bundle manifest");
        DiffusionBundle? bundle;
        try
        {
            bundle = JsonSerializer.Deserialize<DiffusionBundle>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new SynthioException(DiagnosticCodes.ModelBundleInvalid, $"{ManifestFile} is invalid: {exception.Message}", path, exception);
        }

        if (bundle is null)
        {
            throw new SynthioException(DiagnosticCodes.ModelBundleInvalid, $"{ManifestFile} is empty.", path);
        }

        bundle.Validate(path);
        return bundle;
    }

    public PredictionType PredictionType => Prediction.ToLowerInvariant() switch
    {
        "epsilon" or "eps" => PredictionType.Epsilon,
        "v" or "v_prediction" => PredictionType.V,
        _ => throw new InvalidOperationException($"prediction '{Prediction}'"),
    };

    /// <summary>Parses a sampler name: <c>ddim</c> or <c>dpmpp-2m</c> (also <c>dpm-solver++</c>).</summary>
    public static SamplerKind ParseSampler(string name) => name.ToLowerInvariant() switch
    {
        "ddim" => SamplerKind.Ddim,
        "dpmpp-2m" or "dpm-solver++" or "dpmsolver++" or "dpm++2m" => SamplerKind.DpmSolverPlusPlus2M,
        _ => throw new SynthioException(DiagnosticCodes.BadOption, $"Unknown sampler '{name}': expected ddim or dpmpp-2m."),
    };

    public NoiseSchedule CreateSchedule()
    {
        var kind = Schedule.Kind.ToLowerInvariant() switch
        {
            "scaled-linear" or "scaled_linear" => NoiseScheduleKind.ScaledLinear,
            "linear" => NoiseScheduleKind.Linear,
            "cosine" or "squaredcos_cap_v2" => NoiseScheduleKind.Cosine,
            "continuous-cosine" or "v-diffusion" => NoiseScheduleKind.ContinuousCosine,
            _ => throw new InvalidOperationException($"schedule kind '{Schedule.Kind}'"),
        };
        return new NoiseSchedule(kind, Schedule.TrainSteps, Schedule.BetaStart, Schedule.BetaEnd, Schedule.MaxTime, Schedule.TimeScale);
    }

    /// <summary>The latent shape (without batch) for a clip of <paramref name="seconds"/>.</summary>
    public int[] LatentShapeFor(double seconds)
    {
        var shape = (int[])Latent.Shape.Clone();
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
            {
                shape[i] = Math.Max(1, (int)Math.Ceiling(seconds * Latent.FramesPerSecond - 1e-9));
            }
        }

        return shape;
    }

    private void Validate(string path)
    {
        var problems = new List<string>();
        if (Format != CurrentFormat)
        {
            problems.Add($"format is '{Format}', this version reads '{CurrentFormat}'");
        }

        if (SampleRate <= 0)
        {
            problems.Add("sampleRate must be positive");
        }

        if (MaxTokens < 2)
        {
            problems.Add("maxTokens must be at least 2");
        }

        if (Latent.Shape.Length == 0 || Latent.Shape.Any(d => d == 0 || d < -1) || Latent.Shape.Count(d => d == -1) > 1)
        {
            problems.Add("latent.shape needs positive sizes and at most one -1 (time) axis");
        }

        if (Latent.Shape.Contains(-1) && Latent.FramesPerSecond <= 0)
        {
            problems.Add("latent.framesPerSecond must be positive when latent.shape has a -1 axis");
        }

        if (Latent.Scale <= 0 || !double.IsFinite(Latent.Scale))
        {
            problems.Add("latent.scale must be a positive number");
        }

        if (LatentDecoder.Input is null || LatentDecoder.Output is null)
        {
            problems.Add("latentDecoder needs input and output names");
        }

        if (Vocoder is not null && (Vocoder.Input is null || Vocoder.Output is null))
        {
            problems.Add("vocoder needs input and output names");
        }

        if (Sampler.Steps < 1 || Sampler.GuidanceScale < 0 || !double.IsFinite(Sampler.GuidanceScale))
        {
            problems.Add("sampler.steps must be ≥ 1 and sampler.guidanceScale ≥ 0");
        }

        try
        {
            _ = PredictionType;
        }
        catch (InvalidOperationException)
        {
            problems.Add($"prediction '{Prediction}' is not epsilon or v");
        }

        try
        {
            _ = ParseSampler(Sampler.Kind);
            var schedule = CreateSchedule();
            if (schedule.Kind != NoiseScheduleKind.ContinuousCosine && Sampler.Steps > schedule.TrainSteps)
            {
                problems.Add($"sampler.steps {Sampler.Steps} exceeds schedule.trainSteps {schedule.TrainSteps}");
            }

            var first = schedule.Path(1)[0];
            if (PredictionType == PredictionType.Epsilon && first.Alpha < 1e-3)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"an epsilon model cannot start where α = {first.Alpha:G3}; lower schedule.maxTime"));
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentOutOfRangeException or SynthioException)
        {
            problems.Add(exception.Message);
        }

        if (problems.Count > 0)
        {
            throw new SynthioException(DiagnosticCodes.ModelBundleInvalid, $"{ManifestFile} is invalid: {string.Join("; ", problems)}.", path);
        }
    }
}
