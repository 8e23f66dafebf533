using System.Globalization;
using Synthio.Diagnostics;

namespace Synthio.Onnx.Runtime;

/// <summary>Which execution provider a user asked for.</summary>
public enum OnnxDeviceKind
{
    /// <summary>CUDA when a real session can be created on it, else the CPU (with one SYN3003 warning).</summary>
    Auto,

    /// <summary>ONNX Runtime's CPU provider.</summary>
    Cpu,

    /// <summary>CUDA on one GPU; failing to start it is an error (SYN3004).</summary>
    Cuda,
}

/// <summary>The parsed value of <c>--device auto|cpu|cuda[:id]</c>.</summary>
public readonly record struct OnnxDevice(OnnxDeviceKind Kind, int CudaDeviceId)
{
    public static OnnxDevice Auto { get; } = new(OnnxDeviceKind.Auto, 0);

    public static OnnxDevice Cpu { get; } = new(OnnxDeviceKind.Cpu, 0);

    /// <summary>Parses <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive; empty means auto).</summary>
    /// <exception cref="SynthioException">SYN9001 for anything else.</exception>
    public static OnnxDevice Parse(string? text)
    {
        if (TryParse(text, out var device, out var error))
        {
            return device;
        }

        throw new SynthioException(DiagnosticCodes.BadOption, error!);
    }

    /// <summary>Parses like <see cref="Parse"/> without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out OnnxDevice device, out string? error)
    {
        device = Auto;
        error = null;
        var value = (text ?? string.Empty).Trim().ToLowerInvariant();
        switch (value)
        {
            case "" or "auto":
                return true;
            case "cpu":
                device = Cpu;
                return true;
            case "cuda" or "gpu":
                device = new OnnxDevice(OnnxDeviceKind.Cuda, 0);
                return true;
        }

        if (value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            device = new OnnxDevice(OnnxDeviceKind.Cuda, id);
            return true;
        }

        error = $"Unknown device '{text}': expected auto, cpu, cuda or cuda:<id>.";
        return false;
    }

    public override string ToString() => Kind switch
    {
        OnnxDeviceKind.Auto => "auto",
        OnnxDeviceKind.Cpu => "cpu",
        _ => $"cuda:{CudaDeviceId.ToString(CultureInfo.InvariantCulture)}",
    };
}
