using System.Collections;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Synthio.Build.Tasks;

namespace Synthio.Build.Tests;

public sealed class SynthioToolTests
{
    [Fact]
    public void CodedLinesBecomeDiagnosticsWithFileAndCode()
    {
        var engine = new RecordingBuildEngine();
        var task = new SynthioTool { BuildEngine = engine };
        task.LogLine("/data/dog/bark.wav : warning SYN1003 : '/data/dog/bark.wav' is not a valid WAV file: it is truncated; the clip is skipped");
        task.LogLine("synthio : error SYN2002 : model 'llama3.2' is not pulled; run 'ollama pull llama3.2'");
        task.LogLine("synthio: generate 12/36");

        var warning = Assert.Single(engine.Warnings);
        Assert.Equal("SYN1003", warning.Code);
        Assert.Equal("/data/dog/bark.wav", warning.File);
        Assert.Contains("truncated", warning.Message);
        var error = Assert.Single(engine.Errors);
        Assert.Equal("SYN2002", error.Code);
        Assert.Equal("test.proj", error.File); // no file of its own: MSBuild points at the project
        Assert.Contains("ollama pull", error.Message);
        Assert.Contains(engine.Messages, m => m.Message == "synthio: generate 12/36" && m.Importance == MessageImportance.Normal);
    }

    [Fact]
    public void ADiagnosticWithoutAFilePointsAtTheUsersProject()
    {
        var engine = new RecordingBuildEngine();
        var task = new SynthioTool { BuildEngine = engine, ProjectFile = "/src/app/App.csproj" };
        task.LogLine("synthio : warning SYN6002 : the augmentation policy budget (120 s) ran out before 2 of 12 candidates were scored");
        task.LogLine("/data/dog/bark.wav : warning SYN1003 : '/data/dog/bark.wav' is truncated; the clip is skipped");

        Assert.Equal(new[] { "/src/app/App.csproj", "/data/dog/bark.wav" }, engine.Warnings.Select(w => w.File));
    }

    [Fact]
    public void TheToolsResultLineShowsAtTheDefaultVerbosity()
    {
        var engine = new RecordingBuildEngine();
        var task = new SynthioTool { BuildEngine = engine };
        task.LogLine("synthio: result: data: classic×8; held-out accuracy 100.0 % (gold-only 87.5 %) on 8 clips; model /obj/data.model.zip (LightGbm)");

        var message = Assert.Single(engine.Messages);
        Assert.Equal(MessageImportance.High, message.Importance);
        Assert.Equal("synthio: data: classic×8; held-out accuracy 100.0 % (gold-only 87.5 %) on 8 clips; model /obj/data.model.zip (LightGbm)", message.Message);
        Assert.Empty(engine.Warnings);
    }

    [Fact]
    public void CommandLineRunsTheCliWithTheDotnetHostAndQuotesArguments()
    {
        var task = new SynthioTool
        {
            BuildEngine = new RecordingBuildEngine(),
            CliPath = "/pkg/tools/cli/dotnet-synthio.dll",
            Arguments = new ITaskItem[] { new TaskItem("augment"), new TaskItem("/my data/set"), new TaskItem("--multiplier"), new TaskItem("3") },
        };
        Assert.Equal("exec /pkg/tools/cli/dotnet-synthio.dll augment \"/my data/set\" --multiplier 3", task.CommandLine());
    }

    [Fact]
    public void ASwitchsValueTravelsAsMetadataAndIsQuotedOnlyWhereTheSplitNeedsIt()
    {
        var task = new SynthioTool
        {
            BuildEngine = new RecordingBuildEngine(),
            CliPath = "/pkg/tools/cli/dotnet-synthio.dll",
            Arguments = new ITaskItem[]
            {
                WithValue("augment", "/data"),
                WithValue("--group-pattern", @"^(.*)-\d+;x?\.wav$"),
                WithValue("--cache-dir", @"C:\my cache\"),
                new TaskItem("--allow-outside-paths"),
                WithValue("--ollama-model", string.Empty),
            },
        };
        Assert.Equal(
            @"exec /pkg/tools/cli/dotnet-synthio.dll augment /data --group-pattern ""^(.*)-\d+;x?\.wav$"" --cache-dir ""C:\my cache\\"" --allow-outside-paths --ollama-model",
            task.CommandLine());
    }

    [Theory]
    [InlineData(@"^(.*)-\d+[.]wav$")]
    [InlineData(@"^(?<take>[0-9]+)_.*;\w+$")]
    [InlineData(@"/home/me/my data/set")]
    [InlineData(@"C:\my data\")]
    [InlineData(@"say ""hi"" \""twice\\""")]
    [InlineData(@"a\\b\\\c")]
    [InlineData(@"")]
    public void AQuotedArgumentComesBackWholeFromTheProcessStart(string value)
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/usr/bin/printf"))
        {
            return; // printf echoes each argument .NET split the command line into
        }

        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/printf", @"[%s]\n before " + SynthioTool.Quote(value) + " after")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal($"[before]\n[{value}]\n[after]\n", output);
    }

    private static TaskItem WithValue(string itemSpec, string value)
    {
        var item = new TaskItem(itemSpec);
        item.SetMetadata(SynthioTool.ValueMetadata, value);
        return item;
    }

    [Fact]
    public void AMissingCliIsReportedWithItsCode()
    {
        var engine = new RecordingBuildEngine();
        var task = new SynthioTool
        {
            BuildEngine = engine,
            CliPath = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "dotnet-synthio.dll"),
            Arguments = new ITaskItem[] { new TaskItem("augment") },
        };
        Assert.False(task.Execute());
        Assert.Equal("SYN9002", Assert.Single(engine.Errors).Code);
    }

    [Theory]
    [InlineData("warning SYN3001", 0, false, true)] // a plain warning: the outputs stand
    [InlineData("warning SYN3001", 0, true, false)] // the same warning turned into an error by the build
    [InlineData("error SYN1005", 1, false, false)]  // the tool failed
    public void OutputsOfAFailedStepAreDeletedSoTheNextBuildRunsItAgain(string diagnostic, int exitCode, bool warningsAsErrors, bool succeeds)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the stand-in for dotnet is a shell script
        }

        var folder = Directory.CreateTempSubdirectory("synthio-build-test").FullName;
        try
        {
            // A stand-in for the dotnet host that prints what the tool would and exits as it would, after
            // writing its output, as the real tool writes its manifest before the build sees the warning.
            var manifest = Path.Combine(folder, "manifest.json");
            var host = Path.Combine(folder, "fake-dotnet");
            File.WriteAllText(host, $"#!/bin/sh\necho '{{}}' > '{manifest}'\necho 'synthio : {diagnostic} : a label missed its target'\nexit {exitCode}\n");
            File.SetUnixFileMode(host, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var cli = Path.Combine(folder, "dotnet-synthio.dll");
            File.WriteAllText(cli, string.Empty);

            var engine = new RecordingBuildEngine { WarningsAsErrors = warningsAsErrors };
            var task = new SynthioTool
            {
                BuildEngine = engine,
                DotnetHost = host,
                CliPath = cli,
                Arguments = new ITaskItem[] { new TaskItem("augment") },
                InvalidateOnFailure = new ITaskItem[] { new TaskItem(manifest) },
            };

            Assert.Equal(succeeds, task.Execute());
            Assert.Equal(succeeds, File.Exists(manifest));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class RecordingBuildEngine : IBuildEngine8
    {
        /// <summary>As <c>-warnaserror</c>: every warning the task logs becomes an error.</summary>
        public bool WarningsAsErrors { get; init; }

        public bool IsRunningMultipleNodes => false;

        public bool AllowFailureWithoutError { get; set; }

        public bool ShouldTreatWarningAsError(string warningCode) => WarningsAsErrors;

        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs, string toolsVersion) => true;

        public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IDictionary[] targetOutputsPerProject, string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) => true;

        public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) => new(true, new List<IDictionary<string, ITaskItem[]>>());

        public void Yield()
        {
        }

        public void Reacquire()
        {
        }

        public void RegisterTaskObject(object key, object obj, RegisteredTaskObjectLifetime lifetime, bool allowEarlyCollection)
        {
        }

        public object? GetRegisteredTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => null;

        public object? UnregisterTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => null;

        public void LogTelemetry(string eventName, IDictionary<string, string> properties)
        {
        }

        public IReadOnlyDictionary<string, string> GetGlobalProperties() => new Dictionary<string, string>();

        public List<BuildWarningEventArgs> Warnings { get; } = new();

        public List<BuildErrorEventArgs> Errors { get; } = new();

        public List<BuildMessageEventArgs> Messages { get; } = new();

        public bool ContinueOnError => false;

        public int LineNumberOfTaskNode => 0;

        public int ColumnNumberOfTaskNode => 0;

        public string ProjectFileOfTaskNode => "test.proj";

        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => true;

        public void LogCustomEvent(CustomBuildEventArgs e)
        {
        }

        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

        public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);

        public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
    }
}
