using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;
using Synthio.Diagnostics;

namespace Synthio.Onnx.Runtime;

/// <summary>
/// Opens ONNX Runtime sessions for one backend on the execution provider the user's <see cref="OnnxDevice"/>
/// resolves to. <c>auto</c> falls back to the CPU with one SYN3003 warning per reporter that quotes ORT's reason;
/// an explicit <c>cuda</c> that cannot start is a SYN3004 error.
/// </summary>
internal sealed class OnnxSessionFactory
{
    // One fallback warning per reporter, however many backends and sessions a run opens.
    private static readonly ConditionalWeakTable<IPipelineReporter, object> Warned = new();

    private readonly OnnxDevice _device;
    private readonly IPipelineReporter _reporter;
    private bool _useCuda;

    public OnnxSessionFactory(OnnxDevice device, IPipelineReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        _device = device;
        _reporter = reporter;
        switch (device.Kind)
        {
            case OnnxDeviceKind.Cpu:
                _useCuda = false;
                break;
            case OnnxDeviceKind.Cuda:
                var explicitProbe = CudaProbe.Probe(device.CudaDeviceId);
                if (!explicitProbe.Available)
                {
                    throw new SynthioException(
                        DiagnosticCodes.DeviceUnavailable,
                        $"Device {device} was requested but ONNX Runtime cannot start CUDA on it: {explicitProbe.FailureReason}");
                }

                _useCuda = true;
                break;
            default:
                var probe = CudaProbe.Probe(device.CudaDeviceId);
                _useCuda = probe.Available;
                if (!probe.Available)
                {
                    WarnFallback(probe.FailureReason ?? "unknown reason");
                }

                break;
        }
    }

    /// <summary>The provider sessions are created on now: <c>CUDA:N</c> or <c>CPU</c>.</summary>
    public string ProviderName => _useCuda ? $"CUDA:{_device.CudaDeviceId}" : "CPU";

    /// <summary>Creates a session for <paramref name="modelPath"/>; create once per run and reuse it.</summary>
    public InferenceSession Open(string modelPath)
    {
        if (_useCuda)
        {
            try
            {
                using var cudaOptions = CudaProbe.CudaOptions(_device.CudaDeviceId);
                return new InferenceSession(modelPath, cudaOptions);
            }
            catch (OnnxRuntimeException exception) when (_device.Kind == OnnxDeviceKind.Auto)
            {
                // The probe passed but this model does not start on CUDA (memory, unsupported graph): same fallback.
                _useCuda = false;
                WarnFallback($"{Path.GetFileName(modelPath)}: {CudaProbe.Reason(exception)}");
            }
        }

        using var options = new SessionOptions();
        return new InferenceSession(modelPath, options);
    }

    private void WarnFallback(string reason)
    {
        lock (Warned)
        {
            if (Warned.TryGetValue(_reporter, out _))
            {
                return;
            }

            Warned.Add(_reporter, new object());
        }

        _reporter.Report(Diagnostic.Warning(
            DiagnosticCodes.DeviceFallback,
            $"CUDA is not usable, so ONNX models run on the CPU (slower). ONNX Runtime said: {reason}"));
    }
}
