using System.Globalization;
using Synthio.Diagnostics;
using Synthio.Onnx.Runtime;

namespace Synthio.Onnx.Clap;

/// <summary>
/// The CLAP models this process has opened, one per folder, device and file state. Opening one hashes every
/// model file and starts two sessions, so a command that uses the same export as scorer and as embedder opens
/// it once. A file rewritten since (another size or write time) opens the folder afresh.
/// </summary>
internal static class OpenClapModels
{
    private static readonly Dictionary<string, ClapModel> Models = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>The model for <paramref name="modelDirectory"/> on <paramref name="device"/>, opened now or earlier in this process.</summary>
    /// <exception cref="SynthioException">As <see cref="ClapModel.Open"/>.</exception>
    public static ClapModel Open(string modelDirectory, OnnxDevice device, IPipelineReporter reporter)
    {
        var key = Key(modelDirectory, device);
        lock (Gate)
        {
            if (!Models.TryGetValue(key, out var model))
            {
                model = ClapModel.Open(modelDirectory, device, reporter);
                Models[key] = model;
            }

            return model;
        }
    }

    private static string Key(string modelDirectory, OnnxDevice device)
    {
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDirectory));
        var files = new[] { ClapModel.AudioModelFile, ClapModel.TextModelFile, ClapModel.TokenizerFile, ClapModel.PreprocessorFile }
            .Select(name => new FileInfo(Path.Combine(folder, name)))
            .Select(file => file.Exists
                ? string.Create(CultureInfo.InvariantCulture, $"{file.Length}@{file.LastWriteTimeUtc.Ticks}")
                : "missing");
        return $"{folder}|{device}|{string.Join(",", files)}";
    }
}
