using System.Text.Json;
using Synthio.Tests;

namespace Synthio.Build.Tests;

/// <summary>
/// The items the package's targets give development tools (Visual Studio's fast up-to-date check, dotnet watch, dotnet pack),
/// read back from MSBuild itself on a project with a folder dataset and a CSV dataset.
/// </summary>
public sealed class DevelopmentToolItemsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public DevelopmentToolItemsTests()
    {
        foreach (var clip in new[] { "data/dog/a.wav", "data/rain/b.wav", "elsewhere/c.wav" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_temp.Combine(clip))!);
            File.WriteAllBytes(_temp.Combine(clip), new byte[] { 1 });
        }

        File.WriteAllText(_temp.Combine("list.csv"), "path,label\nelsewhere/c.wav,dog\n");

        // The CSV's clips are known from the list the last augmentation wrote.
        var list = _temp.Combine("obj", "Debug", "net10.0", "synthio", "list", "augment", "dataset-files.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(list)!);
        File.WriteAllText(list, _temp.Combine("elsewhere", "c.wav") + "\n");

        var build = Path.Combine(TestPaths.RepositoryRoot, "src", "Synthio.Build", "build");
        File.WriteAllText(_temp.Combine("App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{build}/Synthio.Build.props" />
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup>
                <SynthioDataset Include="data" />
                <SynthioDataset Include="list.csv" />
              </ItemGroup>
              <Import Project="{build}/Synthio.Build.targets" />
            </Project>
            """);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EachDatasetsFilesAreUpToDateCheckInputsOfASetWhoseOutputIsItsModel()
    {
        var items = Items("_SynthioUpToDateCheckItems", "UpToDateCheckInput", "UpToDateCheckOutput", "UpToDateCheckBuilt");

        Assert.Equal(new[] { "data/dog/a.wav Synthio.data", "data/rain/b.wav Synthio.data", "elsewhere/c.wav Synthio.list", "list.csv Synthio.list" }, Read(items, "UpToDateCheckInput", "Set"));
        Assert.Equal(new[] { "obj/Debug/net10.0/synthio/data/data.model.zip Synthio.data", "obj/Debug/net10.0/synthio/list/list.model.zip Synthio.list" }, Read(items, "UpToDateCheckOutput", "Set"));
        Assert.Equal(
            new[] { $"bin/Debug/net10.0/data.model.zip {_temp.Combine("obj", "Debug", "net10.0", "synthio", "data", "data.model.zip")}", $"bin/Debug/net10.0/list.model.zip {_temp.Combine("obj", "Debug", "net10.0", "synthio", "list", "list.model.zip")}" },
            Read(items, "UpToDateCheckBuilt", "Original"));
    }

    [Fact]
    public void DotnetWatchWatchesEachDatasetsFiles()
    {
        var items = Items("_SynthioWatchItems", "Watch");

        Assert.Equal(new[] { "data/dog/a.wav", "data/rain/b.wav", "elsewhere/c.wav", "list.csv" }, Read(items, "Watch", null));
    }

    [Fact]
    public void PackCarriesEachTrainedModelAsAContentFileCopiedToTheOutput()
    {
        // Both datasets have a model; the CSV's is kept out of the package by its Pack metadata.
        File.WriteAllText(_temp.Combine("App.csproj"), File.ReadAllText(_temp.Combine("App.csproj")).Replace("<SynthioDataset Include=\"list.csv\" />", "<SynthioDataset Include=\"list.csv\" Pack=\"false\" />", StringComparison.Ordinal));
        foreach (var name in new[] { "data", "list" })
        {
            var model = _temp.Combine("obj", "Debug", "net10.0", "synthio", name, $"{name}.model.zip");
            Directory.CreateDirectory(Path.GetDirectoryName(model)!);
            File.WriteAllBytes(model, new byte[] { 1 });
        }

        // Pack's per-framework hook, as pack calls it in each framework's build.
        var items = Items("_GetTfmSpecificContentForPackage", "TfmSpecificPackageFile");
        var file = Assert.Single(items.GetProperty("TfmSpecificPackageFile").EnumerateArray());
        Assert.Equal(_temp.Combine("obj", "Debug", "net10.0", "synthio", "data", "data.model.zip"), file.GetProperty("FullPath").GetString());
        Assert.Equal("contentFiles/any/net10.0/data.model.zip", file.GetProperty("PackagePath").GetString());
        Assert.Equal("None", file.GetProperty("BuildAction").GetString());
        Assert.Equal("true", file.GetProperty("PackageCopyToOutput").GetString());

        // SynthioPack=false keeps every model out; so does a model not trained yet.
        Assert.Empty(Items("_GetTfmSpecificContentForPackage", new[] { "-p:SynthioPack=false" }, "TfmSpecificPackageFile").GetProperty("TfmSpecificPackageFile").EnumerateArray());
        File.Delete(_temp.Combine("obj", "Debug", "net10.0", "synthio", "data", "data.model.zip"));
        Assert.Empty(Items("_GetTfmSpecificContentForPackage", "TfmSpecificPackageFile").GetProperty("TfmSpecificPackageFile").EnumerateArray());
    }

    /// <summary>Runs one target as the tools do, in a design-time build (where the Synthio target itself never runs).</summary>
    private JsonElement Items(string target, params string[] types) => Items(target, Array.Empty<string>(), types);

    private JsonElement Items(string target, string[] properties, params string[] types)
    {
        var result = ProcessRunner.Run(
            ProcessRunner.DotnetHost,
            new[] { "msbuild", _temp.Combine("App.csproj"), "-nologo", "-p:DesignTimeBuild=true", $"-t:{target}" }.Concat(properties).Concat(types.Select(t => $"-getItem:{t}")).ToArray(),
            _temp.Path);
        Assert.True(result.ExitCode == 0, result.All);
        return JsonDocument.Parse(result.Output).RootElement.GetProperty("Items");
    }

    private string[] Read(JsonElement items, string type, string? metadata) => items.GetProperty(type).EnumerateArray()
        .Select(i => Path.GetRelativePath(_temp.Path, i.GetProperty("FullPath").GetString()!).Replace('\\', '/')
            + (metadata is null ? string.Empty : " " + (i.TryGetProperty(metadata, out var m) ? m.GetString() : string.Empty)))
        .Order(StringComparer.Ordinal)
        .ToArray();
}
