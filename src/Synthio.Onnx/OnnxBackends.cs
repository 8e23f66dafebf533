namespace Synthio.Onnx;

/// <summary>Entry point of the ONNX Runtime backends (CLAP, text-to-audio bundles).</summary>
public static class OnnxBackends
{
    /// <summary>The ONNX Runtime package this assembly is built against.</summary>
    public const string RuntimePackage = "Microsoft.ML.OnnxRuntime.Gpu 1.31.0";
}
