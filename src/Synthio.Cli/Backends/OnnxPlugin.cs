using System.Reflection;
using System.Runtime.Loader;
using Synthio.Diagnostics;
using Synthio.Features;
using Synthio.Filtering;
using Synthio.Generation;

namespace Synthio.Cli.Backends;

/// <summary>
/// Loads the ONNX Runtime backends (Synthio.Onnx) on demand. They carry a large native runtime, so they are
/// not part of the tool: the assembly is looked up in SYNTHIO_ONNX_PLUGIN (a folder), then in an
/// <c>onnx</c> folder beside the tool, then where <c>dotnet synthio onnx install</c> puts them
/// (<c>~/.synthio/onnx/&lt;tool version&gt;</c>), and loaded into its own load context with its native
/// libraries; Synthio.Core's types are shared with the tool so the backends plug into the pipeline.
/// </summary>
internal static class OnnxPlugin
{
    public const string EnvironmentVariable = "SYNTHIO_ONNX_PLUGIN";
    public const string AssemblyFileName = "Synthio.Onnx.dll";
    private const string FactoryTypeName = "Synthio.Onnx.OnnxBackendFactory";

    private static readonly Lazy<Type?> Factory = new(LoadFactory);

    /// <summary>Where the plug-in would be loaded from, or null when it is not installed.</summary>
    public static string? Location()
    {
        foreach (var directory in CandidateDirectories())
        {
            var path = Path.Combine(directory, AssemblyFileName);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    public static IAudioTextScorer CreateClapScorer(string modelDir, string device, double logitScale, IPipelineReporter reporter) =>
        (IAudioTextScorer)Invoke("CreateClapScorer", modelDir, device, logitScale, reporter);

    public static IAudioEmbedder CreateClapEmbedder(string modelDir, string device, IPipelineReporter reporter) =>
        (IAudioEmbedder)Invoke("CreateClapEmbedder", modelDir, device, reporter);

    public static ITextToAudio CreateTextToAudio(string bundleDir, string device, IPipelineReporter reporter) =>
        (ITextToAudio)Invoke("CreateTextToAudio", bundleDir, device, reporter);

    public static string DescribeDevice(string device) => (string)Invoke("DescribeDevice", device);

    /// <summary>
    /// Where <c>dotnet synthio onnx install</c> puts the backends for a tool version: one folder per version,
    /// since the plug-in shares Synthio.Core's types with the tool and must match it.
    /// </summary>
    public static string InstallDirectory(string version) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".synthio", "onnx", version);

    private static object Invoke(string method, params object[] arguments) => Invoke(
        Factory.Value ?? throw new SynthioException(
            DiagnosticCodes.OnnxBackendsMissing,
            $"the ONNX backends are not installed: run 'dotnet synthio onnx install --version {ToolVersion.Package}' (this tool's version, which they must match; it restores them from your package sources, about 540 MB), or set {EnvironmentVariable} to a folder that holds {AssemblyFileName}"),
        method,
        arguments);

    private static object Invoke(Type factory, string method, params object[] arguments)
    {
        var target = factory.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
            ?? throw new SynthioException(DiagnosticCodes.ModelBundleInvalid, $"{AssemblyFileName} has no {method}; it does not match this version of the tool");
        try
        {
            return target.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            yield return configured;
        }

        yield return Path.Combine(AppContext.BaseDirectory, "onnx");
        yield return InstallDirectory(ToolVersion.Package);
    }

    private static Type? LoadFactory() => Location() is { } path ? Load(path) : null;

    private static Type Load(string assemblyPath)
    {
        var context = new PluginLoadContext(assemblyPath);
        return context.LoadFromAssemblyPath(assemblyPath).GetType(FactoryTypeName, throwOnError: true)!;
    }

    private sealed class PluginLoadContext : AssemblyLoadContext
    {
        private readonly AssemblyDependencyResolver _resolver;

        public PluginLoadContext(string pluginPath)
            : base("Synthio.Onnx", isCollectible: false)
        {
            _resolver = new AssemblyDependencyResolver(pluginPath);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Shared contracts come from the tool, so IAudioTextScorer here and there is one type.
            if (assemblyName.Name == "Synthio.Core")
            {
                return null;
            }

            if (Default.Assemblies.Any(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), assemblyName)))
            {
                return null;
            }

            var path = _resolver.ResolveAssemblyToPath(assemblyName);
            return path is null ? null : LoadFromAssemblyPath(path);
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
            return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
        }
    }
}
