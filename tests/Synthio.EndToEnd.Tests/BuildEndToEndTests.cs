using System.Text.Json;
using Synthio.Tests;

namespace Synthio.EndToEnd.Tests;

/// <summary>
/// The product as a user meets it: packages from a local feed, a project made by <c>dotnet synthio init</c>,
/// real clips, and <c>dotnet build</c> three times (fresh, unchanged, one clip added).
/// </summary>
[Collection(PackagedFeedCollection.Name)]
public sealed class BuildEndToEndTests
{
    private static readonly string[] Labels = { "dog", "rooster", "rain" };
    private readonly PackagedFeed _feed;

    public BuildEndToEndTests(PackagedFeed feed) => _feed = feed;

    [Fact]
    public void InitBuildRebuildAndAddAClip()
    {
        var work = _feed.NewFolder($"app-{Guid.NewGuid():N}");
        var app = Path.Combine(work, "BirdApp");
        var env = _feed.Environment(Path.Combine(work, "cache"));

        var init = ProcessRunner.Run(_feed.Tool, new[] { "init", app, "--name", "BirdApp" }, work, env);
        Assert.True(init.ExitCode == 0, init.All);
        Assert.True(File.Exists(Path.Combine(app, "BirdApp.csproj")), init.All);
        _feed.WriteNuGetConfig(app);

        // 3 labels x 5 real clips from folds 2-5 of ESC-10; a sixth clip of the first label is kept for later.
        var spare = string.Empty;
        foreach (var label in Labels)
        {
            var clips = Directory.GetFiles(Path.Combine(TestPaths.Esc10, label)).Where(f => Path.GetFileName(f)[0] != '1').Order(StringComparer.Ordinal).ToArray();
            Directory.CreateDirectory(Path.Combine(app, "data", label));
            foreach (var clip in clips.Take(5))
            {
                File.Copy(clip, Path.Combine(app, "data", label, Path.GetFileName(clip)));
            }

            if (label == Labels[0])
            {
                spare = clips[5];
            }
        }

        var datasetBefore = Snapshot(Path.Combine(app, "data"));
        var first = Build(app, env);
        Assert.Equal(datasetBefore, Snapshot(Path.Combine(app, "data")));

        var output = Path.Combine(app, "bin", "Debug", "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "data.model.zip")), first.All);
        var report = File.ReadAllText(Path.Combine(output, "data.report.md"));
        Assert.Matches(@"\| gold only \| \d+\.\d \|", report);
        Assert.Matches(@"\| gold \+ synthetic \(synthio×3\) \| \d+\.\d \|", report);
        Assert.True(File.Exists(Path.Combine(output, "data.report.html")));

        var manifestPath = Directory.GetFiles(Path.Combine(app, "obj"), "manifest.json", SearchOption.AllDirectories).Single();
        var manifest1 = Manifest.Load(manifestPath);
        Assert.True(manifest1.Generated > 0);
        Assert.Equal(15, manifest1.GoldCount);
        Assert.Equal(3, manifest1.GoldTest);
        Assert.True(manifest1.GoldGroupsAreFileNames, "every gold clip's group is its file name");
        Assert.True(manifest1.SyntheticByLabel.Values.All(keys => keys.Count > 0), "every label got synthetic clips");

        // The app predicts with the model the build trained.
        var predict = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { Path.Combine(output, "BirdApp.dll"), Path.Combine(app, "data", "dog", Path.GetFileName(Directory.GetFiles(Path.Combine(app, "data", "dog")).Order(StringComparer.Ordinal).First())) }, app, env);
        Assert.True(predict.ExitCode == 0, predict.All);
        Assert.Matches(@"\.wav: (dog|rooster|rain) \(", predict.Output);

        // Nothing changed: the targets skip and the manifest stays as it was.
        var stamp = File.GetLastWriteTimeUtc(manifestPath);
        var second = Build(app, env);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(manifestPath));
        Assert.DoesNotContain("synthio: generate", second.All);

        // One clip more: only what depends on it is computed again.
        File.Copy(spare, Path.Combine(app, "data", Labels[0], Path.GetFileName(spare)));
        Build(app, env);
        var manifest3 = Manifest.Load(manifestPath);
        var spareIsTraining = manifest3.GoldSplitOf(Path.GetFileName(spare)) == "train";
        Assert.Equal(spareIsTraining ? 1 : 0, manifest3.Computed("caption"));
        Assert.Equal(spareIsTraining, manifest3.Computed("language.extract/1") > 0);
        foreach (var label in Labels.Skip(1))
        {
            Assert.Equal(manifest1.SyntheticByLabel[label], manifest3.SyntheticByLabel[label]);
        }

        var changedLabelKeysKept = manifest1.SyntheticByLabel[Labels[0]].Intersect(manifest3.SyntheticByLabel[Labels[0]]).Count();
        if (spareIsTraining)
        {
            // New material for the label: its clips are new and nothing else was generated.
            Assert.True(manifest3.Generated > 0);
            Assert.True(manifest3.Generated <= manifest3.Stats(Labels[0]).Generated, $"generated {manifest3.Generated} but label '{Labels[0]}' accounts for {manifest3.Stats(Labels[0]).Generated}");
        }
        else
        {
            Assert.Equal(0, manifest3.Generated);
            Assert.Equal(manifest1.SyntheticByLabel[Labels[0]].Count, changedLabelKeysKept);
        }
    }

    private ProcessResult Build(string project, Dictionary<string, string?> env)
    {
        // Threshold 0 keeps every generated clip: the label-consistency scorer is fitted on all labels, so a
        // new clip of one label rescores (and could re-filter) every label's clips; without the filter the
        // test can pin down exactly which generation work a new clip causes. A fixed multiplier, because the
        // automatic policy's folds regenerate every label when any label's clips change (the sample project's
        // test covers auto). A group pattern that makes every clip a group of its own reaches the tool and
        // changes no split. No backslash in it: MSBuild on Unix turns them into slashes.
        var result = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { "build", project, "-p:SynthioTimeBudget=3", "-p:SynthioThreshold=0", "-p:SynthioMultiplier=3", "-p:SynthioGroupPattern=^(.+)[.]wav$" }, project, env, TimeSpan.FromMinutes(15));
        Assert.True(result.ExitCode == 0, result.All);
        return result;
    }

    private static string Snapshot(string folder) => string.Join(
        "\n",
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(folder, f)} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}"));

    /// <summary>The parts of manifest.json these tests read.</summary>
    private sealed class Manifest
    {
        private readonly JsonElement _root;

        private Manifest(JsonElement root) => _root = root;

        public static Manifest Load(string path) => new(JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone());

        public int Generated => _root.GetProperty("generated").GetInt32();

        private IEnumerable<JsonElement> Clips => _root.GetProperty("clips").EnumerateArray();

        public int GoldCount => Clips.Count(c => c.GetProperty("origin").GetString() == "gold");

        public bool GoldGroupsAreFileNames => Clips.Where(c => c.GetProperty("origin").GetString() == "gold")
            .All(c => c.TryGetProperty("group", out var g) && g.GetString() == Path.GetFileNameWithoutExtension(c.GetProperty("path").GetString()));

        public int GoldTest => Clips.Count(c => c.GetProperty("origin").GetString() == "gold" && c.GetProperty("split").GetString() == "test");

        public IReadOnlyDictionary<string, IReadOnlySet<string>> SyntheticByLabel => Clips
            .Where(c => c.GetProperty("origin").GetString() == "synthetic")
            .GroupBy(c => c.GetProperty("label").GetString()!)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(c => c.GetProperty("key").GetString()!).ToHashSet());

        public string? GoldSplitOf(string fileName) => Clips
            .Where(c => c.GetProperty("origin").GetString() == "gold" && Path.GetFileName(c.GetProperty("path").GetString()) == fileName)
            .Select(c => c.GetProperty("split").GetString())
            .Single();

        public int Computed(string step) =>
            _root.GetProperty("steps").TryGetProperty(step, out var s) ? s.GetProperty("computed").GetInt32() : 0;

        public (int Generated, int Accepted) Stats(string label)
        {
            var s = _root.GetProperty("stats").GetProperty(label);
            return (s.GetProperty("generated").GetInt32(), s.GetProperty("accepted").GetInt32());
        }
    }
}
