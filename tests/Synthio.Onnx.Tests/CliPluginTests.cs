using System.Text.Json;
using System.Text.RegularExpressions;
using Synthio.Audio;
using Synthio.Cli.Tests;
using Synthio.Onnx.Tests.Fixtures;
using Synthio.Tests;

namespace Synthio.Onnx.Tests;

/// <summary>
/// The ONNX backends as a user reaches them: the real <c>dotnet synthio</c> process loads this assembly as a
/// plug-in (its own load context, ONNX Runtime's native libraries beside it) and runs a tiny text-to-audio
/// bundle and a tiny CLAP folder through the whole augment pipeline.
/// </summary>
public sealed class CliPluginTests
{
    // The test's output folder holds Synthio.Onnx.dll with ONNX Runtime and, through the project reference, the tool.
    private static string PluginFolder => AppContext.BaseDirectory;

    private static ProcessResult RunCli(string workingDirectory, string? pluginFolder, params string[] arguments) =>
        ProcessRunner.Run(
            ProcessRunner.DotnetHost,
            new[] { CliRunner.CliPath }.Concat(arguments),
            workingDirectory,
            new Dictionary<string, string?> { ["CI"] = "true", ["SYNTHIO_ONNX_PLUGIN"] = pluginFolder },
            TimeSpan.FromMinutes(5));

    [Fact]
    public void Augment_generates_with_an_onnx_bundle_and_scores_with_clap_through_the_plugin_then_reuses_the_cache()
    {
        using var temp = new TempDirectory();
        using var bundle = new DiffusionBundleFixture(TestDenoiser.LinearEpsilon, steps: 4);
        using var clap = new ClapFolderFixture();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        string[] Arguments(string output) =>
        [
            "augment", data, "--out", output, "--multiplier", "synthio:1", "--generator", $"onnx:{bundle.Folder}", "--scorer", $"clap:{clap.Folder}",
            "--device", "cpu", "--threshold", "0", "--reflection-rounds", "0", "--cache-dir", temp.Combine("cache"),
        ];

        var first = RunCli(temp.Path, PluginFolder, Arguments(temp.Combine("out")));
        Assert.True(first.ExitCode == 0, first.All);
        var manifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("out", "manifest.json"))).RootElement;
        var settings = manifest.GetProperty("settings");
        Assert.StartsWith("onnx-t2a/", settings.GetProperty("generator").GetString());
        Assert.Contains("name=tiny-test-model", settings.GetProperty("generator").GetString());
        Assert.StartsWith("clap-onnx-scorer/", settings.GetProperty("scorer").GetString());
        var synthetic = manifest.GetProperty("clips").EnumerateArray().Where(c => c.GetProperty("origin").GetString() == "synthetic").ToArray();
        Assert.Equal(6, synthetic.Length); // one per gold clip: threshold 0 accepts every clip the bundle made
        foreach (var clip in synthetic)
        {
            var audio = WavFile.ReadMono(Path.Combine(temp.Combine("out"), clip.GetProperty("path").GetString()!));
            Assert.True(audio.Samples.Length > 0 && audio.Samples.Any(s => s != 0), $"{clip} is silent");
        }

        Assert.True(manifest.GetProperty("generated").GetInt32() > 0);

        // Same inputs, same models: every clip comes from the cache, the bundle is not run again.
        var second = RunCli(temp.Path, PluginFolder, Arguments(temp.Combine("out2")));
        Assert.True(second.ExitCode == 0, second.All);
        var again = JsonDocument.Parse(File.ReadAllText(temp.Combine("out2", "manifest.json"))).RootElement;
        Assert.Equal(0, again.GetProperty("generated").GetInt32());
        Assert.Equal(6, again.GetProperty("reused").GetInt32());
    }

    [Fact]
    public void Evaluate_trains_on_clap_embeddings_and_adds_a_zero_shot_row_through_the_plugin()
    {
        using var temp = new TempDirectory();
        using var clap = new ClapFolderFixture();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));

        var run = RunCli(
            temp.Path, PluginFolder, "evaluate", data, "--split", "stratified:0.34", "--n", "2", "--seeds", "2", "--modes", "gold,zero-shot,classic:1",
            "--scorer", $"clap:{clap.Folder}", "--embedder", $"clap:{clap.Folder}", "--device", "cpu",
            "--trainers", "LbfgsMaximumEntropy", "--max-trials", "1", "--out", temp.Combine("out"), "--cache-dir", temp.Combine("cache"));
        Assert.True(run.ExitCode == 0, run.All);
        var results = JsonDocument.Parse(File.ReadAllText(temp.Combine("out", "results.json"))).RootElement;
        Assert.StartsWith("clap-onnx-embedder/", results.GetProperty("settings").GetProperty("features").GetString());
        var rows = results.GetProperty("results").EnumerateArray().ToArray();
        var zeroShot = rows.Where(r => r.GetProperty("mode").GetString() == "zero-shot").ToArray();
        Assert.Equal(2, zeroShot.Length);
        // No training: both seeds get the same predictions, and no cross-validation score is claimed.
        Assert.Single(zeroShot.Select(r => r.GetProperty("accuracy").GetDouble()).Distinct());
        Assert.All(zeroShot, r => Assert.False(r.TryGetProperty("cv_score", out _)));
        Assert.Equal(2, rows.Count(r => r.GetProperty("mode").GetString() == "gold"));

        // The zero-shot row and the pipeline's filter share one opened CLAP scorer; the embedder is its own.
        Assert.Single(Regex.Matches(run.All, "CLAP scorer: model "));
        Assert.Single(Regex.Matches(run.All, "CLAP embedder: model "));
        Assert.Contains("| zero-shot |", File.ReadAllText(temp.Combine("out", "report.md")));

        // Zero-shot alone trains nothing, so the classifier's features are not opened.
        var zeroShotOnly = RunCli(
            temp.Path, PluginFolder, "evaluate", data, "--split", "stratified:0.34", "--n", "2", "--seeds", "1", "--modes", "zero-shot",
            "--scorer", $"clap:{clap.Folder}", "--embedder", $"clap:{clap.Folder}", "--device", "cpu", "--out", temp.Combine("zero-shot"), "--cache-dir", temp.Combine("cache"));
        Assert.True(zeroShotOnly.ExitCode == 0, zeroShotOnly.All);
        Assert.Single(Regex.Matches(zeroShotOnly.All, "CLAP scorer: model "));
        Assert.DoesNotMatch("CLAP embedder: model ", zeroShotOnly.All);
        Assert.Single(JsonDocument.Parse(File.ReadAllText(temp.Combine("zero-shot", "results.json"))).RootElement.GetProperty("results").EnumerateArray());

        // The embedded scorer is fitted on the training clips, so it cannot stand for zero-shot.
        var refused = RunCli(temp.Path, PluginFolder, "evaluate", data, "--modes", "gold,zero-shot", "--out", temp.Combine("out2"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--scorer clap:", refused.Error);
    }

    [Fact]
    public void Augment_train_and_predict_use_clap_embeddings_as_the_classifiers_features_through_the_plugin()
    {
        using var temp = new TempDirectory();
        using var clap = new ClapFolderFixture();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"), clipsPerLabel: 4);
        var cache = temp.Combine("cache");

        // The policy search scores its candidates on the features the classifier will train on.
        var augment = RunCli(
            temp.Path, PluginFolder, "augment", data, "--out", temp.Combine("augment"), "--multiplier", "auto", "--policy-budget", "60",
            "--embedder", $"clap:{clap.Folder}", "--device", "cpu", "--cache-dir", cache);
        Assert.True(augment.ExitCode == 0, augment.All);
        Assert.Single(Regex.Matches(augment.All, "CLAP embedder: model "));
        var policy = JsonDocument.Parse(File.ReadAllText(temp.Combine("augment", "manifest.json"))).RootElement.GetProperty("policySearch");
        Assert.Contains(policy.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("evaluated").GetBoolean());

        var model = temp.Combine("model.zip");
        var train = RunCli(
            temp.Path, PluginFolder, "train", data, "--synthetic", temp.Combine("augment"), "--model", model, "--time-budget", "5",
            "--embedder", $"clap:{clap.Folder}", "--device", "cpu", "--cache-dir", cache);
        Assert.True(train.ExitCode == 0, train.All);
        Assert.Single(Regex.Matches(train.All, "CLAP embedder: model "));

        var probe = Directory.GetFiles(Path.Combine(data, "high"), "*.wav")[0];
        var predicted = RunCli(temp.Path, PluginFolder, "predict", "--model", model, "--embedder", $"clap:{clap.Folder}", "--device", "cpu", probe);
        Assert.True(predicted.ExitCode == 0, predicted.All);
        Assert.Matches($"{Regex.Escape(probe)}: (low|high) ", predicted.Output);

        // Without the embedder the model cannot be read, and the error says what it needs.
        var refused = RunCli(temp.Path, PluginFolder, "predict", "--model", model, probe);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("SYN5008", refused.Error);
        Assert.Contains("clap-onnx-embedder/", refused.Error);
    }

    [Fact]
    public void Without_the_plugin_an_onnx_generator_is_a_coded_error_that_says_how_to_install_it()
    {
        using var temp = new TempDirectory();
        using var bundle = new DiffusionBundleFixture(TestDenoiser.LinearEpsilon, steps: 2);
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var empty = Directory.CreateDirectory(temp.Combine("no-plugin")).FullName;

        // A home of its own, so backends installed on this machine by 'dotnet synthio onnx install' stay out of it.
        var run = ProcessRunner.Run(
            ProcessRunner.DotnetHost,
            new[] { CliRunner.CliPath, "augment", data, "--out", temp.Combine("out"), "--multiplier", "synthio:1", "--generator", $"onnx:{bundle.Folder}", "--cache-dir", temp.Combine("cache") },
            temp.Path,
            new Dictionary<string, string?> { ["CI"] = "true", ["SYNTHIO_ONNX_PLUGIN"] = empty, ["HOME"] = temp.Combine("home"), ["USERPROFILE"] = temp.Combine("home") },
            TimeSpan.FromMinutes(5));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("SYN3005", run.Error);
        Assert.Contains("dotnet synthio onnx install --version ", run.Error);
        Assert.Contains("SYNTHIO_ONNX_PLUGIN", run.Error);
    }
}
