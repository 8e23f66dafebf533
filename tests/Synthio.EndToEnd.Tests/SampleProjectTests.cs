using System.Text.Json;
using System.Text.RegularExpressions;
using Synthio.Tests;

namespace Synthio.EndToEnd.Tests;

/// <summary><c>dotnet build sample-project</c> from a fresh copy of the repository, twice.</summary>
[Collection(PackagedFeedCollection.Name)]
public sealed class SampleProjectTests
{
    private readonly PackagedFeed _feed;

    public SampleProjectTests(PackagedFeed feed) => _feed = feed;

    [Fact]
    public void SampleBuildsTwiceAndTheSecondGeneratesNothing()
    {
        // The packaged feed already holds a clean copy of the sources; build the sample inside it.
        var root = _feed.Sources;
        var env = _feed.Environment(Path.Combine(_feed.NewFolder($"sample-cache-{Guid.NewGuid():N}")));
        env.Remove("NUGET_PACKAGES");
        var first = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { "build", "sample-project", "-p:SynthioTimeBudget=3" }, root, env, TimeSpan.FromMinutes(15));
        Assert.True(first.ExitCode == 0, first.All);
        var output = Path.Combine(root, "sample-project", "bin", "Debug", "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "data.model.zip")), first.All);
        Assert.True(File.Exists(Path.Combine(output, "data.report.md")), first.All);

        var manifestPath = Directory.GetFiles(Path.Combine(root, "sample-project", "obj"), "manifest.json", SearchOption.AllDirectories)
            .Single(p => Path.GetFileName(Path.GetDirectoryName(p)) == "augment"); // not the policy search's fold manifests
        var stamp = File.GetLastWriteTimeUtc(manifestPath);
        var firstManifest = JsonDocument.Parse(File.ReadAllText(manifestPath)).RootElement;
        Assert.True(firstManifest.GetProperty("generated").GetInt32() > 0);

        // The sample runs on Multiplier="auto": the manifest and the report say what was chosen and why.
        var search = firstManifest.GetProperty("policySearch");
        Assert.Equal(firstManifest.GetProperty("policy").GetString(), search.GetProperty("chosen").GetString());
        Assert.Equal(12, search.GetProperty("candidates").GetArrayLength());
        Assert.Contains("Why this much augmentation", File.ReadAllText(Path.Combine(output, "data.report.md")), StringComparison.Ordinal);

        // dotnet build at its default verbosity still says what the build produced, in one line.
        Assert.Matches($@"synthio: data: {Regex.Escape(firstManifest.GetProperty("policy").GetString()!)}; held-out accuracy \d+\.\d % \(gold-only \d+\.\d %\) on \d+ clips; model ", first.Output);

        var second = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { "build", "sample-project", "-p:SynthioTimeBudget=3" }, root, env, TimeSpan.FromMinutes(15));
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(manifestPath));
        Assert.DoesNotContain("synthio: data:", second.Output);

        // Forcing the augmentation to run again over the unchanged data reuses the policy decision and every clip from the cache.
        File.Delete(manifestPath);
        var third = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { "build", "sample-project", "-p:SynthioTimeBudget=3" }, root, env, TimeSpan.FromMinutes(15));
        Assert.True(third.ExitCode == 0, third.All);
        var manifest = JsonDocument.Parse(File.ReadAllText(manifestPath)).RootElement;
        Assert.Equal(0, manifest.GetProperty("generated").GetInt32());
        var policyStep = manifest.GetProperty("steps").GetProperty("policy");
        Assert.Equal((0, 1), (policyStep.GetProperty("computed").GetInt32(), policyStep.GetProperty("reused").GetInt32()));
        Assert.Equal(firstManifest.GetProperty("policy").GetString(), manifest.GetProperty("policy").GetString());
    }
}
