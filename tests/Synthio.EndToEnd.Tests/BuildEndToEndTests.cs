using System.Text.Json;
using System.Text.RegularExpressions;
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
        var (app, env, init) = Init("BirdApp");
        Assert.True(File.Exists(Path.Combine(app, "BirdApp.csproj")), init.All);

        // 3 labels x 5 real clips from folds 2-5 of ESC-10; a sixth clip of the first label is kept for later.
        var spare = string.Empty;
        foreach (var label in Labels)
        {
            var clips = CopyClips(label, 5, Path.Combine(app, "data", label));

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

        // Given a folder it predicts every audio file under it; a missing file fails alone, with exit code 1.
        var missing = Path.Combine(app, "missing.wav");
        var recordings = Path.Combine(app, "recordings");
        Directory.CreateDirectory(recordings);
        foreach (var encoded in new[] { "mono-440-16k.opus", "stereo-440-660-16k.mp3", "sine440-16k-mono16.flac" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "AudioFiles", encoded), Path.Combine(recordings, encoded));
        }

        var folder = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { Path.Combine(output, "BirdApp.dll"), Path.Combine(app, "data"), recordings, missing }, app, env);
        Assert.True(folder.ExitCode == 1, folder.All);
        Assert.Equal(15, folder.Output.Split('\n').Count(l => Regex.IsMatch(l, @"\.wav: (dog|rooster|rain) \(")));
        Assert.Equal(3, folder.Output.Split('\n').Count(l => Regex.IsMatch(l, @"\.(opus|mp3|flac): (dog|rooster|rain) \(")));
        Assert.Contains($"{missing}: ", folder.Error);

        // With --window it labels each stretch of a recording: a 5-second clip in 2-second windows is three.
        var clip = Directory.GetFiles(Path.Combine(app, "data", "dog")).Order(StringComparer.Ordinal).First();
        var windows = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { Path.Combine(output, "BirdApp.dll"), "--window", "2", clip }, app, env);
        Assert.True(windows.ExitCode == 0, windows.All);
        Assert.Equal(new[] { "[0.0-2.0 s]", "[2.0-4.0 s]", "[3.0-5.0 s]" }, windows.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Regex.Match(l, @"\[[^\]]*\]").Value));

        // Nothing changed: the targets skip and the manifest stays as it was.
        var stamp = File.GetLastWriteTimeUtc(manifestPath);
        var second = Build(app, env);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(manifestPath));
        Assert.DoesNotContain("synthio: generate", second.All);

        // Publishing (a Release build, so augmented and trained again) puts the model beside the published app,
        // which predicts with it; every clip comes from the cache, and so does every trainer search: the
        // published model is the very one the Debug build measured, byte for byte.
        var published = Path.Combine(app, "published");
        var publish = Dotnet("publish", app, env, "-o", published, "-v:n");
        Assert.Equal(0, Manifest.Load(Path.Combine(app, "obj", "Release", "net10.0", "synthio", "data", "augment", "manifest.json")).Generated);
        Assert.True(File.Exists(Path.Combine(published, "data.model.zip")), publish.All);
        Assert.Equal(2, Regex.Matches(publish.Output, "synthio: trainer search: reused the search").Count);
        Assert.DoesNotMatch("synthio: trainer search: best", publish.Output);
        var status = ProcessRunner.Run(_feed.Tool, new[] { "cache", "status" }, app, env);
        Assert.Matches(@"last run: train at .*: [1-9][0-9]* reused, 0 computed", status.Output);
        Assert.Equal(File.ReadAllBytes(Path.Combine(output, "data.model.zip")), File.ReadAllBytes(Path.Combine(published, "data.model.zip")));
        Assert.False(File.Exists(Path.Combine(published, "data.report.md")));
        var publishedPredict = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { Path.Combine(published, "BirdApp.dll"), clip }, app, env);
        Assert.True(publishedPredict.ExitCode == 0, publishedPredict.All);
        Assert.Matches(@"\.wav: (dog|rooster|rain) \(", publishedPredict.Output);

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

    [Fact]
    public void ACsvBesideTheProjectBuildsAndAnEditedClipBuildsAgain()
    {
        var (app, env, init) = Init("CsvApp", "--dataset", "data.csv");
        var work = Path.GetDirectoryName(app)!;
        Assert.Equal("path,label", File.ReadAllText(Path.Combine(app, "data.csv")).Trim());
        Assert.Contains("data.csv", init.Output);

        // 3 labels x 4 clips inside the project, and one clip that lives outside it (a shared recordings folder).
        var rows = new List<string> { "path,label" };
        var outside = Path.Combine(work, "recordings", "extra.wav");
        string replacement = string.Empty;
        foreach (var label in Labels)
        {
            var clips = CopyClips(label, 4, Path.Combine(app, "audio", label));
            rows.AddRange(clips.Take(4).Select(clip => $"audio/{label}/{Path.GetFileName(clip)},{label}"));

            if (label == Labels[0])
            {
                Directory.CreateDirectory(Path.GetDirectoryName(outside)!);
                File.Copy(clips[4], outside);
                rows.Add($"../recordings/extra.wav,{label}");
                replacement = clips[5];
            }
        }

        File.WriteAllLines(Path.Combine(app, "data.csv"), rows);
        var before = Snapshot(Path.Combine(app, "audio"));
        var first = Build(app, env, "-p:SynthioAllowOutsidePaths=true");
        Assert.Equal(before, Snapshot(Path.Combine(app, "audio")));
        var model = Path.Combine(app, "bin", "Debug", "net10.0", "data.model.zip");
        Assert.True(File.Exists(model), first.All);
        var manifestPath = Directory.GetFiles(Path.Combine(app, "obj"), "manifest.json", SearchOption.AllDirectories).Single(p => !p.Contains("policy", StringComparison.Ordinal));
        var outsideKey = Manifest.Load(manifestPath).GoldKeyOf("extra.wav");

        // Unchanged: nothing runs.
        var stamp = File.GetLastWriteTimeUtc(manifestPath);
        var modelStamp = File.GetLastWriteTimeUtc(model);
        Build(app, env, "-p:SynthioAllowOutsidePaths=true");
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(manifestPath));
        Assert.Equal(modelStamp, File.GetLastWriteTimeUtc(model));

        // The clip outside the project is replaced by one restored from a backup, with an older time stamp than
        // the build's outputs; the CSV does not change, yet the build sees it.
        File.Copy(replacement, outside, overwrite: true);
        File.SetLastWriteTimeUtc(outside, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Build(app, env, "-p:SynthioAllowOutsidePaths=true");
        Assert.NotEqual(outsideKey, Manifest.Load(manifestPath).GoldKeyOf("extra.wav"));
        Assert.NotEqual(modelStamp, File.GetLastWriteTimeUtc(model));
    }

    [Fact]
    public void AnAppGetsTheModelOfTheLibraryItReferencesInItsBuildAndPublishOutput()
    {
        // The dataset lives in a class library (made from the template, then no longer an executable); the app
        // that references it has no Synthio settings of its own.
        var (library, env, _) = Init("SoundModels");
        var work = Path.GetDirectoryName(library)!;
        _feed.WriteNuGetConfig(work);
        var libraryProject = Path.Combine(library, "SoundModels.csproj");
        File.WriteAllText(libraryProject, File.ReadAllText(libraryProject).Replace("<OutputType>Exe</OutputType>", string.Empty));
        var app = Path.Combine(work, "Player");
        Directory.CreateDirectory(app);
        File.Move(Path.Combine(library, "Program.cs"), Path.Combine(app, "Program.cs"));
        WriteApp(Path.Combine(app, "Player.csproj"), """<ProjectReference Include="../SoundModels/SoundModels.csproj" />""");
        foreach (var label in Labels)
        {
            CopyClips(label, 4, Path.Combine(library, "data", label));
        }

        var build = Build(app, env);
        var output = Path.Combine(app, "bin", "Debug", "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "data.model.zip")), build.All);
        Assert.False(File.Exists(Path.Combine(output, "data.report.md")), "the reports stay in the library's output");
        Assert.True(File.Exists(Path.Combine(library, "bin", "Debug", "net10.0", "data.report.md")), build.All);
        var clip = Directory.GetFiles(Path.Combine(library, "data", Labels[^1])).Order(StringComparer.Ordinal).First();
        var predict = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { Path.Combine(output, "Player.dll"), clip }, app, env);
        Assert.True(predict.ExitCode == 0, predict.All);
        Assert.Matches(@"\.wav: (dog|rooster|rain) \(", predict.Output);

        // A label more: the library trains again, and the new model reaches the app on its next build.
        var trained = File.ReadAllBytes(Path.Combine(output, "data.model.zip"));
        CopyClips("crying_baby", 4, Path.Combine(library, "data", "crying_baby"));
        var rebuild = Build(app, env);
        Assert.Contains("synthio: data:", rebuild.All);
        Assert.Equal(File.ReadAllBytes(Path.Combine(library, "obj", "Debug", "net10.0", "synthio", "data", "data.model.zip")), File.ReadAllBytes(Path.Combine(output, "data.model.zip")));
        Assert.NotEqual(trained, File.ReadAllBytes(Path.Combine(output, "data.model.zip")));

        // Publishing the app puts the library's model beside it, and the published app predicts with it.
        var published = Path.Combine(app, "published");
        var publish = Dotnet("publish", app, env, "-o", published, "-v:n");
        Assert.True(File.Exists(Path.Combine(published, "data.model.zip")), publish.All);
        var publishedPredict = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { Path.Combine(published, "Player.dll"), clip }, app, env);
        Assert.True(publishedPredict.ExitCode == 0, publishedPredict.All);
        Assert.Matches(@"\.wav: (dog|rooster|rain) \(", publishedPredict.Output);

        // Packed, the library carries its model as a content file, and an app that references the package gets it
        // in its build and publish output. The Release build behind the pack reuses the Debug build's searches.
        var libraryFeed = Path.Combine(work, "library-feed");
        var pack = Dotnet("pack", library, env, "-o", libraryFeed, "-p:Version=1.0.0");
        var packageApp = Path.Combine(work, "PackagePlayer");
        Directory.CreateDirectory(packageApp);
        File.Copy(Path.Combine(app, "Program.cs"), Path.Combine(packageApp, "Program.cs"));
        WriteApp(Path.Combine(packageApp, "PackagePlayer.csproj"), """<PackageReference Include="SoundModels" Version="1.0.0" />""");
        _feed.WriteNuGetConfig(packageApp);
        var config = Path.Combine(packageApp, "NuGet.Config");
        File.WriteAllText(config, File.ReadAllText(config).Replace("<clear />", $"<clear />\n    <add key=\"library\" value=\"{libraryFeed}\" />", StringComparison.Ordinal));
        var packageBuild = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { "build", packageApp }, packageApp, env, TimeSpan.FromMinutes(5));
        Assert.True(packageBuild.ExitCode == 0, packageBuild.All);
        var packageOutput = Path.Combine(packageApp, "bin", "Debug", "net10.0");
        Assert.Equal(File.ReadAllBytes(Path.Combine(library, "obj", "Release", "net10.0", "synthio", "data", "data.model.zip")), File.ReadAllBytes(Path.Combine(packageOutput, "data.model.zip")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(output, "data.model.zip")), File.ReadAllBytes(Path.Combine(packageOutput, "data.model.zip")));
        var packagePredict = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { Path.Combine(packageOutput, "PackagePlayer.dll"), clip }, packageApp, env);
        Assert.True(packagePredict.ExitCode == 0, packagePredict.All + pack.All);
        Assert.Matches(@"\.wav: (dog|rooster|rain) \(", packagePredict.Output);
        var packagePublish = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { "publish", packageApp, "-o", Path.Combine(packageApp, "published") }, packageApp, env, TimeSpan.FromMinutes(5));
        Assert.True(packagePublish.ExitCode == 0, packagePublish.All);
        Assert.True(File.Exists(Path.Combine(packageApp, "published", "data.model.zip")), packagePublish.All);
    }

    [Fact]
    public void TwoDatasetsOfOneNameStopTheBuildWithSYN1014()
    {
        var (app, env, _) = Init("NamesApp");
        foreach (var owner in new[] { "birds", "frogs" })
        {
            CopyClips(Labels[0], 2, Path.Combine(app, owner, "data", Labels[0]));
        }

        var project = Path.Combine(app, "NamesApp.csproj");
        var text = File.ReadAllText(project);
        Assert.Contains("<SynthioDataset Include=\"data\" />", text);
        File.WriteAllText(project, text.Replace("<SynthioDataset Include=\"data\" />", "<SynthioDataset Include=\"birds/data;frogs/data\" />"));

        // Both would be trained into data.model.zip: the build stops before any work and names both.
        var result = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { "build", app }, app, env, TimeSpan.FromMinutes(5));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error SYN1014", result.All);
        Assert.Contains(Path.Combine(app, "birds", "data"), result.All);
        Assert.Contains(Path.Combine(app, "frogs", "data"), result.All);
        Assert.False(Directory.Exists(Path.Combine(app, "obj", "Debug", "net10.0", "synthio", "data", "augment")));
    }

    /// <summary>An app project without Synthio settings of its own that gets its model through <paramref name="reference"/>.</summary>
    private static void WriteApp(string projectPath, string reference) => File.WriteAllText(projectPath, $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
          <ItemGroup>
            {reference}
          </ItemGroup>
        </Project>
        """);

    /// <summary>A fresh folder with its own cache and a project named <paramref name="name"/> made by <c>dotnet synthio init</c>, restoring from the local feed.</summary>
    private (string App, Dictionary<string, string?> Env, ProcessResult Init) Init(string name, params string[] options)
    {
        var work = _feed.NewFolder($"{name.ToLowerInvariant()}-{Guid.NewGuid():N}");
        var app = Path.Combine(work, name);
        var env = _feed.Environment(Path.Combine(work, "cache"));
        var init = ProcessRunner.Run(_feed.Tool, new[] { "init", app, "--name", name }.Concat(options).ToArray(), work, env);
        Assert.True(init.ExitCode == 0, init.All);
        _feed.WriteNuGetConfig(app);
        return (app, env, init);
    }

    private ProcessResult Build(string project, Dictionary<string, string?> env, params string[] properties) =>
        Dotnet("build", project, env, properties);

    /// <summary><c>dotnet &lt;verb&gt;</c> (build, publish) with the settings every build of these tests uses.</summary>
    private ProcessResult Dotnet(string verb, string project, Dictionary<string, string?> env, params string[] properties)
    {
        // Threshold 0 keeps every generated clip: the label-consistency scorer is fitted on all labels, so a
        // new clip of one label rescores (and could re-filter) every label's clips; without the filter the
        // test can pin down exactly which generation work a new clip causes. A fixed multiplier, because the
        // automatic policy's folds regenerate every label when any label's clips change (the sample project's
        // test covers auto). A group pattern that makes every clip a group of its own reaches the tool and
        // changes no split. Its `*` and backslash must reach the tool as written: in an item spec MSBuild would
        // expand the one as a wildcard (and drop the pattern) and turn the other into a slash.
        var result = ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { verb, project, "-p:SynthioTimeBudget=3", "-p:SynthioThreshold=0", "-p:SynthioMultiplier=3", @"-p:SynthioGroupPattern=^(.*)\.wav$" }.Concat(properties).ToArray(), project, env, TimeSpan.FromMinutes(15));
        Assert.True(result.ExitCode == 0, result.All);
        return result;
    }

    /// <summary>Copies a label's first <paramref name="count"/> clips of ESC-10 folds 2-5 into <paramref name="folder"/>; returns them all, in order.</summary>
    private static string[] CopyClips(string label, int count, string folder)
    {
        var clips = Directory.GetFiles(Path.Combine(TestPaths.Esc10, label)).Where(f => Path.GetFileName(f)[0] != '1').Order(StringComparer.Ordinal).ToArray();
        Directory.CreateDirectory(folder);
        foreach (var clip in clips.Take(count))
        {
            File.Copy(clip, Path.Combine(folder, Path.GetFileName(clip)));
        }

        return clips;
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

        public string GoldKeyOf(string fileName) => Clips
            .Where(c => c.GetProperty("origin").GetString() == "gold" && Path.GetFileName(c.GetProperty("path").GetString()) == fileName)
            .Select(c => c.GetProperty("key").GetString()!)
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
