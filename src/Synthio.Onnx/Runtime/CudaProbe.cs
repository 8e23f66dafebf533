using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

namespace Synthio.Onnx.Runtime;

/// <summary>Whether CUDA can really run a session on one GPU, and ORT's own words when it cannot.</summary>
public sealed record CudaProbeResult(int DeviceId, bool Available, string? FailureReason);

/// <summary>
/// Tries CUDA for real: appends the CUDA execution provider and creates (and runs) a session on a one-node
/// model. <c>OrtEnv.GetAvailableProviders()</c> lists CUDA whenever the GPU package is installed, even with no
/// GPU or driver, so only this tells. The outcome is remembered per device for the life of the process.
/// </summary>
public static class CudaProbe
{
    private static readonly ConcurrentDictionary<int, Lazy<CudaProbeResult>> Results = new();

    /// <summary>The (memoised) outcome for <paramref name="deviceId"/>.</summary>
    public static CudaProbeResult Probe(int deviceId) =>
        Results.GetOrAdd(deviceId, id => new Lazy<CudaProbeResult>(() => Run(id))).Value;

    /// <summary>Creates session options on CUDA for <paramref name="deviceId"/>; the caller disposes them.</summary>
    internal static SessionOptions CudaOptions(int deviceId)
    {
        var options = new SessionOptions();
        try
        {
            options.AppendExecutionProvider_CUDA(deviceId);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>The first line of an ORT failure, which is the part that names the cause.</summary>
    internal static string Reason(Exception exception)
    {
        var message = exception.Message.Trim();
        var newline = message.IndexOfAny(['\r', '\n']);
        var firstLine = newline < 0 ? message : message[..newline].Trim();
        return $"{exception.GetType().Name}: {firstLine}";
    }

    private static CudaProbeResult Run(int deviceId)
    {
        try
        {
            using var options = CudaOptions(deviceId);
            using var session = new InferenceSession(ProbeModel.Bytes, options);
            using var input = OrtValue.CreateTensorValueFromMemory(new[] { 1f }, new long[] { 1 });
            using var outputs = session.Run(new RunOptions(), [ProbeModel.InputName], [input], [ProbeModel.OutputName]);
            return new CudaProbeResult(deviceId, true, null);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return new CudaProbeResult(deviceId, false, Reason(exception));
        }
    }
}
