using Synthio.Tests;

namespace Synthio.EndToEnd.Tests;

/// <summary>
/// Copies the repository's sources (no bin/obj) to a temporary folder, so end-to-end builds never touch
/// the build outputs other test projects are using at the same time.
/// </summary>
internal static class RepositoryCopy
{
    private static readonly string[] TopLevelFiles = { "Directory.Build.props", "Directory.Packages.props", "global.json", "nuget.config", "Synthio.Tools.sln" };
    private static readonly string[] TopLevelFolders = { "src", "templates", "sample-project" };

    public static string CopyTo(string destination)
    {
        var root = TestPaths.RepositoryRoot;
        Directory.CreateDirectory(destination);
        foreach (var file in TopLevelFiles)
        {
            File.Copy(Path.Combine(root, file), Path.Combine(destination, file));
        }

        foreach (var folder in TopLevelFolders)
        {
            CopyFolder(Path.Combine(root, folder), Path.Combine(destination, folder));
        }

        return destination;
    }

    private static void CopyFolder(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is "bin" or "obj")
            {
                continue;
            }

            CopyFolder(directory, Path.Combine(destination, name));
        }
    }
}
