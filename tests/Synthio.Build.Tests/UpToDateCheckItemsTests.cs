using System.Text.Json;
using Synthio.Tests;

namespace Synthio.Build.Tests;

/// <summary>The items the package's targets give Visual Studio's fast up-to-date check, read back from MSBuild itself.</summary>
public sealed class UpToDateCheckItemsTests
{
    [Fact]
    public void EachDatasetsFilesAreInputsOfASetWhoseOutputIsItsModel()
    {
        using var temp = new TempDirectory();
        foreach (var clip in new[] { "data/dog/a.wav", "data/rain/b.wav", "elsewhere/c.wav" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp.Combine(clip))!);
            File.WriteAllBytes(temp.Combine(clip), new byte[] { 1 });
        }

        File.WriteAllText(temp.Combine("list.csv"), "path,label\nelsewhere/c.wav,dog\n");

        // The CSV's clips are known from the list the last augmentation wrote.
        var list = temp.Combine("obj", "Debug", "net10.0", "synthio", "list", "augment", "dataset-files.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(list)!);
        File.WriteAllText(list, temp.Combine("elsewhere", "c.wav") + "\n");

        var build = Path.Combine(TestPaths.RepositoryRoot, "src", "Synthio.Build", "build");
        File.WriteAllText(temp.Combine("App.csproj"), $"""
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

        // As Visual Studio asks for them: in a design-time build, where the Synthio target itself never runs.
        var result = ProcessRunner.Run(
            ProcessRunner.DotnetHost,
            new[] { "msbuild", temp.Combine("App.csproj"), "-nologo", "-p:DesignTimeBuild=true", "-t:_SynthioUpToDateCheckItems", "-getItem:UpToDateCheckInput", "-getItem:UpToDateCheckOutput", "-getItem:UpToDateCheckBuilt" },
            temp.Path);
        Assert.True(result.ExitCode == 0, result.All);
        var items = JsonDocument.Parse(result.Output).RootElement.GetProperty("Items");
        string[] Read(string type, string metadata) => items.GetProperty(type).EnumerateArray()
            .Select(i => $"{Path.GetRelativePath(temp.Path, i.GetProperty("FullPath").GetString()!)} {(i.TryGetProperty(metadata, out var m) ? m.GetString() : string.Empty)}".Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(new[] { "data/dog/a.wav Synthio.data", "data/rain/b.wav Synthio.data", "elsewhere/c.wav Synthio.list", "list.csv Synthio.list" }, Read("UpToDateCheckInput", "Set"));
        Assert.Equal(new[] { "obj/Debug/net10.0/synthio/data/data.model.zip Synthio.data", "obj/Debug/net10.0/synthio/list/list.model.zip Synthio.list" }, Read("UpToDateCheckOutput", "Set"));
        Assert.Equal(
            new[] { $"bin/Debug/net10.0/data.model.zip {temp.Combine("obj", "Debug", "net10.0", "synthio", "data", "data.model.zip")}", $"bin/Debug/net10.0/list.model.zip {temp.Combine("obj", "Debug", "net10.0", "synthio", "list", "list.model.zip")}" },
            Read("UpToDateCheckBuilt", "Original"));
    }
}
