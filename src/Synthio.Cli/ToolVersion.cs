using System.Reflection;

namespace Synthio.Cli;

/// <summary>The version of the packages this tool belongs to, which templates and the ONNX plug-in must match.</summary>
internal static class ToolVersion
{
    /// <summary>The informational version without build metadata (0.1.0, not 0.1.0+abc123).</summary>
    public static string Package { get; } = Read();

    private static string Read()
    {
        var informational = typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.1.0";
        var plus = informational.IndexOf('+');
        return plus < 0 ? informational : informational[..plus];
    }
}
