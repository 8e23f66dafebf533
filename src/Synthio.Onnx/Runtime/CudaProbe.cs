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

    /// <summary>
    /// ORT reports only "Failed to load shared library"; loading its CUDA provider library directly yields the
    /// loader's own message, which names the missing CUDA or cuDNN library.
    /// </summary>
    private static string? ProviderLibraryLoadError()
    {
        var name = OperatingSystem.IsWindows() ? "onnxruntime_providers_cuda.dll" : "libonnxruntime_providers_cuda.so";
        var rid = OperatingSystem.IsWindows() ? "win-x64" : $"linux-{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
        // Beside this assembly (when loaded as a plug-in) or the application, flat (published) or per runtime (built).
        var folders = new[] { Path.GetDirectoryName(typeof(CudaProbe).Assembly.Location), AppContext.BaseDirectory }
            .Where(f => !string.IsNullOrEmpty(f))
            .Distinct();
        var candidates = folders.SelectMany(f => new[] { Path.Combine(f!, name), Path.Combine(f!, "runtimes", rid, "native", name) });
        var path = candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return $"{name} is not beside the application";
        }

        try
        {
            var handle = System.Runtime.InteropServices.NativeLibrary.Load(path);
            System.Runtime.InteropServices.NativeLibrary.Free(handle);
            return null;
        }
        catch (DllNotFoundException exception)
        {
            var message = exception.Message;
            var colon = message.IndexOf(": ", StringComparison.Ordinal);
            return colon >= 0 && message.Contains(name, StringComparison.Ordinal) ? message[(colon + 2)..].Trim() : message.Trim();
        }
        catch (BadImageFormatException exception)
        {
            return exception.Message.Trim();
        }
    }

    private static CudaProbeResult Run(int deviceId)
    {
        // ORT also logs a failed provider load as an error line on stderr; the reason reaches the user through
        // the SYN3003 warning instead, so the environment's log level is raised while the probe runs.
        var environment = OrtEnv.Instance();
        var previousLevel = environment.EnvLogLevel;
        environment.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            using var options = CudaOptions(deviceId);
            options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            using var session = new InferenceSession(ProbeModel.Bytes, options);
            using var input = OrtValue.CreateTensorValueFromMemory(new[] { 1f }, new long[] { 1 });
            using var outputs = session.Run(new RunOptions(), [ProbeModel.InputName], [input], [ProbeModel.OutputName]);
            return new CudaProbeResult(deviceId, true, null);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            var reason = Reason(exception);
            if (reason.Contains("load", StringComparison.OrdinalIgnoreCase) && ProviderLibraryLoadError() is string loadError)
            {
                reason += $" ({loadError})";
            }

            return new CudaProbeResult(deviceId, false, reason);
        }
        finally
        {
            environment.EnvLogLevel = previousLevel;
        }
    }
}
