using System.Globalization;
using Synthio.Diagnostics;
using Synthio.Features;
using Synthio.Filtering;
using Synthio.Generation;
using Synthio.Onnx.Clap;
using Synthio.Onnx.Generation;
using Synthio.Onnx.Runtime;

namespace Synthio.Onnx;

/// <summary>
/// What the CLI calls to build the ONNX Runtime backends (<c>--scorer clap:&lt;dir&gt;</c>,
/// <c>--generator onnx:&lt;dir&gt;</c>, <c>--device</c>) and to describe the device in <c>doctor</c>.
/// Built against <see cref="RuntimePackage"/>.
/// </summary>
public static class OnnxBackendFactory
{
    /// <summary>The ONNX Runtime package this assembly is built against.</summary>
    public const string RuntimePackage = "Microsoft.ML.OnnxRuntime.Gpu 1.31.0";

    /// <summary>
    /// The CLAP label-consistency scorer from a transformers.js-style CLAP folder: score =
    /// sigmoid(exp(logit_scale) · cos). <paramref name="logitScale"/> is logit_scale, the natural log of the
    /// cosine multiplier (<see cref="ClapAudioTextScorer.InitialLogitScale"/> = ln(1/0.07) is CLAP's initial
    /// value). CLAP's training keeps logit_scale ≤ ln 100, so a larger number can only be the multiplier itself
    /// (e.g. 1/0.07 ≈ 14.29): it is read as such, and an info line says so.
    /// </summary>
    /// <exception cref="SynthioException">SYN3002 (missing/unusable file), SYN3004 (CUDA demanded but unusable), SYN9001 (bad device or scale).</exception>
    public static IAudioTextScorer CreateClapScorer(string modelDir, string device, double logitScale, IPipelineReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        var scale = logitScale;
        if (double.IsFinite(logitScale) && logitScale > ClapAudioTextScorer.MaxLogitScale)
        {
            scale = Math.Log(logitScale);
            reporter.Info(string.Create(
                CultureInfo.InvariantCulture,
                $"CLAP logit scale {logitScale:G6} is above ln 100, the most CLAP's training allows, so it is taken as the multiplier exp(logit_scale): logit_scale = {scale:G6}."));
        }

        var model = OpenClapModels.Open(modelDir, OnnxDevice.Parse(device), reporter);
        var scorer = new ClapAudioTextScorer(model, scale);
        reporter.Info($"CLAP scorer: model {modelDir} on {model.Provider}");
        return scorer;
    }

    /// <summary>
    /// CLAP audio embeddings (L2-normalised) as training features, from a transformers.js-style CLAP folder. A
    /// scorer on the same folder and device in this process shares its model (its files are hashed and its
    /// sessions started once).
    /// </summary>
    /// <exception cref="SynthioException">SYN3002, SYN3004 or SYN9001 as for <see cref="CreateClapScorer"/>.</exception>
    public static IAudioEmbedder CreateClapEmbedder(string modelDir, string device, IPipelineReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        var model = OpenClapModels.Open(modelDir, OnnxDevice.Parse(device), reporter);
        reporter.Info($"CLAP embedder: model {modelDir} on {model.Provider}");
        return new ClapAudioEmbedder(model);
    }

    /// <summary>
    /// A text-to-audio generator from a diffusion bundle folder (<c>synthio-model.json</c> and the graphs it
    /// names), sampling with the bundle's sampler settings.
    /// </summary>
    /// <exception cref="SynthioException">SYN3002, SYN3004 or SYN9001 as for <see cref="CreateClapScorer"/>.</exception>
    public static ITextToAudio CreateTextToAudio(string bundleDir, string device, IPipelineReporter reporter) =>
        OnnxTextToAudio.Open(bundleDir, OnnxDevice.Parse(device), reporter);

    /// <summary>
    /// Which execution provider a model would run on for <paramref name="device"/>, and why, after really
    /// trying CUDA (for <c>doctor</c>).
    /// </summary>
    public static string DescribeDevice(string device)
    {
        if (!OnnxDevice.TryParse(device, out var parsed, out var error))
        {
            return error!;
        }

        if (parsed.Kind == OnnxDeviceKind.Cpu)
        {
            return $"{RuntimePackage}: device cpu → CPU execution provider (requested).";
        }

        var probe = CudaProbe.Probe(parsed.CudaDeviceId);
        if (probe.Available)
        {
            return $"{RuntimePackage}: device {parsed} → CUDA execution provider on GPU {parsed.CudaDeviceId} (a test session ran on it).";
        }

        return parsed.Kind == OnnxDeviceKind.Auto
            ? $"{RuntimePackage}: device auto → CPU execution provider, because CUDA could not start: {probe.FailureReason}"
            : $"{RuntimePackage}: device {parsed} → unusable (models would fail with {DiagnosticCodes.DeviceUnavailable}): {probe.FailureReason}";
    }
}
