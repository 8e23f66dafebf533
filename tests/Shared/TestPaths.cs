namespace Synthio.Tests;

/// <summary>Where the repository and the shared real-audio datasets are, for every test project.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Synthio.Tools.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Synthio.Tools.sln not found above the test binaries.");
    });

    public static string RepositoryRoot => Root.Value;

    /// <summary>The read-only datasets folder beside the project (SYNTHIO_DATASETS_DIR overrides it).</summary>
    public static string Datasets =>
        Environment.GetEnvironmentVariable("SYNTHIO_DATASETS_DIR") is { Length: > 0 } overridden
            ? overridden
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "datasets"));

    public static string Esc10 => Path.Combine(Datasets, "esc10-16k");

    public static string Fsdd => Path.Combine(Datasets, "fsdd");
}

/// <summary>A temporary folder deleted when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "synthio-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine(new[] { Path }.Concat(parts).ToArray());

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
