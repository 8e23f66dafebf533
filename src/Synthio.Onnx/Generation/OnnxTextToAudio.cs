using System.Globalization;
using Microsoft.ML.OnnxRuntime.Tensors;
using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Generation;
using Synthio.Onnx.Runtime;
using Synthio.Onnx.Text;

namespace Synthio.Onnx.Generation;

/// <summary>Overrides of a bundle's sampler defaults (null keeps the bundle's value).</summary>
public sealed record SamplerOverrides(string? Kind = null, int? Steps = null, double? GuidanceScale = null, int MaxBatch = 8);

/// <summary>
/// Text-to-audio with an ONNX latent diffusion bundle (<see cref="DiffusionBundle"/>): tokenize, encode the
/// caption and the negative prompt, sample the latent from seeded noise with DDIM or DPM-Solver++(2M) under
/// classifier-free guidance, decode (and vocode) to a mono waveform of the requested duration. Sessions are
/// created once; requests of one duration run as one batch.
/// </summary>
public sealed class OnnxTextToAudio : ITextToAudio, IDisposable
{
    private const string Version = "1";

    private readonly DiffusionBundle _bundle;
    private readonly TextTokenizer _tokenizer;
    private readonly OnnxGraph _textEncoder;
    private readonly OnnxGraph _denoiser;
    private readonly OnnxGraph _decoder;
    private readonly OnnxGraph? _vocoder;
    private readonly NoiseSchedule _schedule;
    private readonly SamplerKind _sampler;
    private readonly int _steps;
    private readonly double _guidance;
    private readonly int _maxBatch;
    private readonly bool _timestepIsInteger;
    private readonly TensorElementType? _contextMaskType;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly MicroBatcher<GenerationRequest, AudioBuffer> _batcher;

    private OnnxTextToAudio(
        DiffusionBundle bundle, TextTokenizer tokenizer, OnnxGraph textEncoder, OnnxGraph denoiser, OnnxGraph decoder, OnnxGraph? vocoder,
        SamplerOverrides overrides, string provider, string fingerprint)
    {
        _bundle = bundle;
        _tokenizer = tokenizer;
        _textEncoder = textEncoder;
        _denoiser = denoiser;
        _decoder = decoder;
        _vocoder = vocoder;
        _schedule = bundle.CreateSchedule();
        _sampler = DiffusionBundle.ParseSampler(overrides.Kind ?? bundle.Sampler.Kind);
        _steps = overrides.Steps ?? bundle.Sampler.Steps;
        _guidance = overrides.GuidanceScale ?? bundle.Sampler.GuidanceScale;
        _maxBatch = Math.Max(1, overrides.MaxBatch);
        _timestepIsInteger = denoiser.Inputs[bundle.Denoiser.Timestep].ElementDataType == TensorElementType.Int64;
        _contextMaskType = denoiser.HasInput(bundle.Denoiser.ContextMask) ? denoiser.Inputs[bundle.Denoiser.ContextMask].ElementDataType : null;
        if (_steps < 1 || (_schedule.Kind != NoiseScheduleKind.ContinuousCosine && _steps > _schedule.TrainSteps))
        {
            throw new SynthioException(
                DiagnosticCodes.BadOption, $"{_steps} sampling steps do not fit this bundle's schedule (1 to {_schedule.TrainSteps}).");
        }

        if (_guidance < 0 || !double.IsFinite(_guidance))
        {
            throw new SynthioException(DiagnosticCodes.BadOption, $"Guidance scale {_guidance} must be a finite number ≥ 0.");
        }
        _batcher = new MicroBatcher<GenerationRequest, AudioBuffer>(
            batch => GenerateBatch(batch, CancellationToken.None), _maxBatch, workers: 1);
        Provider = provider;
        var samplerName = _sampler == SamplerKind.Ddim ? "ddim" : "dpmpp-2m";
        Identity = string.Create(
            CultureInfo.InvariantCulture,
            $"onnx-t2a/{Version} name={bundle.Name} sampler={samplerName} steps={_steps} guidance={_guidance:R} negative=\"{bundle.Sampler.NegativePrompt}\" {fingerprint}");
    }

    public string Identity { get; }

    /// <summary>The execution provider the sessions run on.</summary>
    public string Provider { get; }

    public int SampleRate => _bundle.SampleRate;

    /// <summary>Opens a bundle folder on <paramref name="device"/>.</summary>
    /// <exception cref="SynthioException">SYN3002 naming a missing or unusable file or field; SYN3004 when CUDA was demanded and cannot start.</exception>
    public static OnnxTextToAudio Open(string bundleDirectory, OnnxDevice device, IPipelineReporter reporter, SamplerOverrides? overrides = null)
    {
        overrides ??= new SamplerOverrides();
        var bundle = DiffusionBundle.Load(bundleDirectory);
        var folder = Path.GetFullPath(bundleDirectory);
        var manifestPath = Path.Combine(folder, DiffusionBundle.ManifestFile);
        var tokenizerPath = ModelFiles.Require(folder, bundle.Tokenizer, "tokenizer");
        var textPath = ModelFiles.Require(folder, bundle.TextEncoder.File, "text encoder");
        var denoiserPath = ModelFiles.Require(folder, bundle.Denoiser.File, "denoiser");
        var decoderPath = ModelFiles.Require(folder, bundle.LatentDecoder.File, "latent decoder");
        var vocoderPath = bundle.Vocoder is null ? null : ModelFiles.Require(folder, bundle.Vocoder.File, "vocoder");
        var tokenizer = TextTokenizer.Load(tokenizerPath);

        var factory = new OnnxSessionFactory(device, reporter);
        var opened = new List<OnnxGraph>();
        try
        {
            var text = Track(opened, new OnnxGraph(factory, textPath, "text encoder"));
            text.RequireInput(bundle.TextEncoder.InputIds, TensorElementType.Int64);
            text.RequireOutput(bundle.TextEncoder.Output, TensorElementType.Float);

            var denoiser = Track(opened, new OnnxGraph(factory, denoiserPath, "denoiser"));
            denoiser.RequireInput(bundle.Denoiser.Sample, TensorElementType.Float);
            denoiser.RequireInput(bundle.Denoiser.Context, TensorElementType.Float);
            denoiser.RequireOutput(bundle.Denoiser.Output, TensorElementType.Float);
            var timestep = bundle.Denoiser.Timestep;
            if (!(denoiser.HasInput(timestep) && denoiser.Inputs[timestep].ElementDataType == TensorElementType.Int64))
            {
                denoiser.RequireInput(timestep, TensorElementType.Float); // float time, or int64 training step
            }

            var decoder = Track(opened, new OnnxGraph(factory, decoderPath, "latent decoder"));
            decoder.RequireInput(bundle.LatentDecoder.Input!, TensorElementType.Float);
            decoder.RequireOutput(bundle.LatentDecoder.Output!, TensorElementType.Float);

            OnnxGraph? vocoder = null;
            if (vocoderPath is not null)
            {
                vocoder = Track(opened, new OnnxGraph(factory, vocoderPath, "vocoder"));
                vocoder.RequireInput(bundle.Vocoder!.Input!, TensorElementType.Float);
                vocoder.RequireOutput(bundle.Vocoder.Output!, TensorElementType.Float);
            }

            var fingerprint = string.Join(
                ",",
                new[]
                {
                    $"manifest={ModelFiles.Sha256(manifestPath)}",
                    $"tokenizer={ModelFiles.Sha256(tokenizerPath)}",
                    $"text={ModelFiles.Sha256(textPath)}",
                    $"denoiser={ModelFiles.Sha256(denoiserPath)}",
                    $"decoder={ModelFiles.Sha256(decoderPath)}",
                    vocoderPath is null ? null : $"vocoder={ModelFiles.Sha256(vocoderPath)}",
                }.Where(p => p is not null));
            return new OnnxTextToAudio(bundle, tokenizer, text, denoiser, decoder, vocoder, overrides, factory.ProviderName, fingerprint);
        }
        catch
        {
            foreach (var graph in opened)
            {
                graph.Dispose();
            }

            throw;
        }
    }

    public async Task<AudioBuffer> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckDuration(request);

        // Concurrent callers (the pipeline generates many captions at once) share model runs.
        return await _batcher.RunAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Generates several clips; requests with the same latent shape share each model run. Each clip depends only
    /// on its own request (its seed fixes its noise), not on what it was batched with.
    /// </summary>
    public Task<AudioBuffer[]> GenerateBatchAsync(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            CheckDuration(request);
        }

        return Task.Run(() => GenerateBatch(requests, cancellationToken), cancellationToken);
    }

    /// <summary>Synchronous core of <see cref="GenerateBatchAsync"/>.</summary>
    private AudioBuffer[] GenerateBatch(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellationToken)
    {
        var results = new AudioBuffer[requests.Count];

        // One batch runs at a time: the graphs already use every core (or the whole GPU) per run.
        _gate.Wait(cancellationToken);
        try
        {
            var groups = requests
                .Select((request, index) => (request, index))
                .GroupBy(r => string.Join("x", _bundle.LatentShapeFor(r.request.DurationSeconds)));
            foreach (var group in groups)
            {
                foreach (var chunk in group.Chunk(_maxBatch))
                {
                    var clips = GenerateSameShape(chunk.Select(c => c.request).ToArray(), cancellationToken);
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        results[chunk[i].index] = clips[i];
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return results;
    }

    /// <summary>
    /// The final latents (before decoding) for requests of one latent shape; exposed so the sampler can be
    /// checked against closed forms through the real graphs.
    /// </summary>
    internal float[][] SampleLatents(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellationToken)
    {
        var batch = requests.Count;
        var shape = _bundle.LatentShapeFor(requests[0].DurationSeconds);
        var perItem = shape.Aggregate(1, (a, b) => a * b);
        var latent = new float[batch * perItem];
        for (var b = 0; b < batch; b++)
        {
            new GaussianNoise(requests[b].Seed).Fill(latent.AsSpan(b * perItem, perItem));
        }

        var guided = _guidance != 1.0;
        var prompts = requests.Select(r => string.IsNullOrWhiteSpace(r.Caption) ? r.Label : r.Caption).ToList();
        var texts = guided ? Enumerable.Repeat(_bundle.Sampler.NegativePrompt, batch).Concat(prompts).ToList() : prompts;
        var (context, contextShape, mask) = EncodeText(texts);
        var rows = texts.Count;
        var durations = requests.Select(r => (float)r.DurationSeconds).ToArray();
        var durationInput = guided ? durations.Concat(durations).ToArray() : durations;

        var modelInput = new float[rows * perItem];
        var sampleShape = new long[shape.Length + 1];
        sampleShape[0] = rows;
        for (var i = 0; i < shape.Length; i++)
        {
            sampleShape[i + 1] = shape[i];
        }

        void Denoise(ReadOnlySpan<float> x, SchedulePoint point, Span<float> output)
        {
            // Guided runs see [unconditional..., conditional...] with the same latent in both halves.
            x.CopyTo(modelInput);
            if (guided)
            {
                x.CopyTo(modelInput.AsSpan(batch * perItem));
            }

            var inputs = new List<(string, TensorData)>
            {
                (_bundle.Denoiser.Sample, TensorData.Float(modelInput, sampleShape)),
                (_bundle.Denoiser.Timestep, _timestepIsInteger
                    ? TensorData.Int64(Enumerable.Repeat((long)Math.Round(point.ModelTime), rows).ToArray(), rows)
                    : TensorData.Float(Enumerable.Repeat((float)point.ModelTime, rows).ToArray(), rows)),
                (_bundle.Denoiser.Context, TensorData.Float(context, contextShape)),
            };
            if (_contextMaskType is TensorElementType maskType)
            {
                inputs.Add((_bundle.Denoiser.ContextMask, maskType == TensorElementType.Int64
                    ? TensorData.Int64(mask, rows, mask.Length / rows)
                    : TensorData.Float(mask.Select(m => (float)m).ToArray(), rows, mask.Length / rows)));
            }

            if (_denoiser.HasInput(_bundle.Denoiser.Duration))
            {
                inputs.Add((_bundle.Denoiser.Duration, TensorData.Float(durationInput, rows)));
            }

            var (prediction, predictionShape) = _denoiser.Run(inputs, _bundle.Denoiser.Output);
            if (prediction.Length != rows * perItem)
            {
                throw new SynthioException(
                    DiagnosticCodes.ModelBundleInvalid,
                    $"The denoiser returned shape [{string.Join(", ", predictionShape)}] for a latent of shape [{string.Join(", ", sampleShape)}].",
                    _denoiser.Path);
            }

            if (!guided)
            {
                prediction.AsSpan(0, perItem * batch).CopyTo(output);
                return;
            }

            var scale = (float)_guidance;
            for (var i = 0; i < batch * perItem; i++)
            {
                var unconditional = prediction[i];
                output[i] = unconditional + scale * (prediction[batch * perItem + i] - unconditional);
            }
        }

        DiffusionSampler.Sample(latent, _schedule.Path(_steps), _bundle.PredictionType, _sampler, Denoise, cancellationToken);
        return Enumerable.Range(0, batch).Select(b => latent.AsSpan(b * perItem, perItem).ToArray()).ToArray();
    }

    public void Dispose()
    {
        _batcher.Dispose();
        _textEncoder.Dispose();
        _denoiser.Dispose();
        _decoder.Dispose();
        _vocoder?.Dispose();
        _gate.Dispose();
    }

    private AudioBuffer[] GenerateSameShape(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellationToken)
    {
        var latents = SampleLatents(requests, cancellationToken);
        var shape = _bundle.LatentShapeFor(requests[0].DurationSeconds);
        var batch = requests.Count;
        var perItem = latents[0].Length;
        var decoderInput = new float[batch * perItem];
        var inverseScale = (float)(1.0 / _bundle.Latent.Scale);
        for (var b = 0; b < batch; b++)
        {
            for (var i = 0; i < perItem; i++)
            {
                decoderInput[b * perItem + i] = latents[b][i] * inverseScale;
            }
        }

        var decoderShape = new long[] { batch }.Concat(shape.Select(s => (long)s)).ToArray();
        var (decoded, decodedShape) = _decoder.Run([(_bundle.LatentDecoder.Input!, TensorData.Float(decoderInput, decoderShape))], _bundle.LatentDecoder.Output!);
        if (_vocoder is not null)
        {
            var vocoderShape = FitRank(decodedShape, _vocoder.Inputs[_bundle.Vocoder!.Input!].Dimensions.Length);
            (decoded, decodedShape) = _vocoder.Run([(_bundle.Vocoder.Input!, TensorData.Float(decoded, vocoderShape))], _bundle.Vocoder.Output!);
        }

        return Enumerable.Range(0, batch)
            .Select(b => ToMono(decoded, decodedShape, b, requests[b].DurationSeconds))
            .ToArray();
    }

    private (float[] Context, long[] Shape, long[] Mask) EncodeText(IReadOnlyList<string> texts)
    {
        var (ids, mask, length) = _tokenizer.EncodeBatch(texts, _bundle.MaxTokens);
        var inputs = new List<(string, TensorData)> { (_bundle.TextEncoder.InputIds, TensorData.Int64(ids, texts.Count, length)) };
        if (_textEncoder.HasInput(_bundle.TextEncoder.AttentionMask))
        {
            inputs.Add((_bundle.TextEncoder.AttentionMask, TensorData.Int64(mask, texts.Count, length)));
        }

        var (context, shape) = _textEncoder.Run(inputs, _bundle.TextEncoder.Output);
        return (context, shape, mask);
    }

    /// <summary>Drops size-1 axes after the batch (or adds one) so a decoder's mel fits the vocoder's input rank.</summary>
    private static long[] FitRank(long[] shape, int rank)
    {
        var list = shape.ToList();
        while (list.Count > rank && list.Skip(1).Contains(1))
        {
            list.RemoveAt(list.IndexOf(1, 1));
        }

        while (list.Count < rank)
        {
            list.Insert(1, 1);
        }

        return list.ToArray();
    }

    /// <summary>Item <paramref name="b"/> of a [batch, samples] or [batch, channels, samples] waveform, averaged to mono and cut or zero-padded to the duration.</summary>
    private AudioBuffer ToMono(float[] data, long[] shape, int b, double seconds)
    {
        if (shape.Length is < 2 or > 3)
        {
            throw new SynthioException(
                DiagnosticCodes.ModelBundleInvalid,
                $"The bundle's last graph returned shape [{string.Join(", ", shape)}]; expected [batch, samples] or [batch, channels, samples].",
                (_vocoder ?? _decoder).Path);
        }

        var channels = shape.Length == 3 ? (int)shape[1] : 1;
        var samples = (int)shape[^1];
        var wanted = (int)Math.Round(seconds * _bundle.SampleRate);
        var output = new float[wanted];
        var offset = b * channels * samples;
        var count = Math.Min(wanted, samples);
        for (var c = 0; c < channels; c++)
        {
            var channel = data.AsSpan(offset + c * samples, samples);
            for (var i = 0; i < count; i++)
            {
                output[i] += channel[i] / channels;
            }
        }

        return new AudioBuffer(output, _bundle.SampleRate);
    }

    private static void CheckDuration(GenerationRequest request)
    {
        if (!(request.DurationSeconds > 0) || !double.IsFinite(request.DurationSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.DurationSeconds, "Duration must be a positive number of seconds.");
        }
    }

    private static OnnxGraph Track(List<OnnxGraph> opened, OnnxGraph graph)
    {
        opened.Add(graph);
        return graph;
    }
}
