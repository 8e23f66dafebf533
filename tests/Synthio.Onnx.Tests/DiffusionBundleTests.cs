using System.Text.Json.Nodes;
using Synthio.Diagnostics;
using Synthio.Generation;
using Synthio.Language;
using Synthio.Onnx.Generation;
using Synthio.Onnx.Runtime;
using Synthio.Onnx.Tests.Fixtures;

namespace Synthio.Onnx.Tests;

public sealed class DiffusionBundleTests
{
    private static string Sha256(string path) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    private static void EditManifest(DiffusionBundleFixture bundle, Action<JsonObject> edit)
    {
        var path = Path.Combine(bundle.Folder, DiffusionBundle.ManifestFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    [Fact]
    public async Task The_factory_builds_a_generator_whose_identity_hashes_every_file()
    {
        using var bundle = new DiffusionBundleFixture(TestDenoiser.LinearEpsilon, "ddim", 4, guidance: 2.0, vocoder: true);
        var reporter = new CollectingReporter();
        var generator = OnnxBackendFactory.CreateTextToAudio(bundle.Folder, "auto", reporter);
        foreach (var file in new[] { "synthio-model.json", "tokenizer.json", "text_encoder.onnx", "denoiser.onnx", "decoder.onnx", "vocoder.onnx" })
        {
            Assert.Contains(Sha256(Path.Combine(bundle.Folder, file)), generator.Identity);
        }

        Assert.Contains("sampler=ddim steps=4 guidance=2", generator.Identity);
        var audio = await generator.GenerateAsync(new GenerationRequest("dog", "a dog", SoundComponents.Empty, 0.1, 9));
        Assert.Equal(200, audio.Length);
        Assert.Contains(audio.Samples, s => s != 0);

        // auto on a machine without a usable GPU: one warning, and the run above succeeded on the CPU.
        Assert.Equal(CudaProbe.Probe(0).Available ? 0 : 1, reporter.Diagnostics.Count(d => d.Code == "SYN3003"));
        ((IDisposable)generator).Dispose();
    }

    [Fact]
    public void Sampler_overrides_change_the_identity()
    {
        using var bundle = new DiffusionBundleFixture(TestDenoiser.LinearEpsilon);
        using var a = OnnxTextToAudio.Open(bundle.Folder, OnnxDevice.Cpu, new CollectingReporter());
        using var b = OnnxTextToAudio.Open(bundle.Folder, OnnxDevice.Cpu, new CollectingReporter(), new SamplerOverrides(Kind: "dpmpp-2m", Steps: 20));
        Assert.NotEqual(a.Identity, b.Identity);
        Assert.Contains("dpmpp-2m", b.Identity);
    }

    [Fact]
    public void Steps_beyond_the_schedule_are_refused()
    {
        using var bundle = new DiffusionBundleFixture(TestDenoiser.LinearEpsilon, trainSteps: 20);
        var error = Assert.Throws<SynthioException>(() => OnnxTextToAudio.Open(bundle.Folder, OnnxDevice.Cpu, new CollectingReporter(), new SamplerOverrides(Steps: 21)));
        Assert.Equal("SYN9001", error.Code);
        EditManifest(bundle, json => json["sampler"]!["steps"] = 50);
        error = Assert.Throws<SynthioException>(() => OnnxBackendFactory.CreateTextToAudio(bundle.Folder, "cpu", new CollectingReporter()));
        Assert.Equal("SYN3002", error.Code);
        Assert.Contains("trainSteps", error.Message);
    }

    [Theory]
    [InlineData("denoiser.onnx")]
    [InlineData("decoder.onnx")]
    [InlineData("text_encoder.onnx")]
    [InlineData("tokenizer.json")]
    [InlineData("synthio-model.json")]
    public void A_missing_file_is_SYN3002_naming_it(string file)
    {
        using var bundle = new DiffusionBundleFixture(TestDenoiser.LinearEpsilon);
        File.Delete(Path.Combine(bundle.Folder, file));
        var error = Assert.Throws<SynthioException>(() => OnnxBackendFactory.CreateTextToAudio(bundle.Folder, "cpu", new CollectingReporter()));
        Assert.Equal("SYN3002", error.Code);
        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void Manifest_errors_are_SYN3002_and_say_what_is_wrong()
    {
        using var bundle = new DiffusionBundleFixture(TestDenoiser.LinearEpsilon);
        EditManifest(bundle, json => json["prediction"] = "x0");
        var error = Assert.Throws<SynthioException>(() => OnnxBackendFactory.CreateTextToAudio(bundle.Folder, "cpu", new CollectingReporter()));
        Assert.Equal("SYN3002", error.Code);
        Assert.Contains("x0", error.Message);

        EditManifest(bundle, json =>
        {
            json["prediction"] = "epsilon";
            json["schedule"] = new JsonObject { ["kind"] = "continuous-cosine" };
        });
        error = Assert.Throws<SynthioException>(() => OnnxBackendFactory.CreateTextToAudio(bundle.Folder, "cpu", new CollectingReporter()));
        Assert.Contains("maxTime", error.Message);

        EditManifest(bundle, json => json.Remove("denoiser"));
        error = Assert.Throws<SynthioException>(() => OnnxBackendFactory.CreateTextToAudio(bundle.Folder, "cpu", new CollectingReporter()));
        Assert.Equal("SYN3002", error.Code);
        Assert.Contains("denoiser", error.Message);
    }

    [Fact]
    public void A_denoiser_without_the_named_output_is_SYN3002()
    {
        using var bundle = new DiffusionBundleFixture(TestDenoiser.LinearEpsilon);
        EditManifest(bundle, json => json["denoiser"]!["output"] = "noise_pred");
        var error = Assert.Throws<SynthioException>(() => OnnxBackendFactory.CreateTextToAudio(bundle.Folder, "cpu", new CollectingReporter()));
        Assert.Equal("SYN3002", error.Code);
        Assert.Contains("noise_pred", error.Message);
    }

    [Fact]
    public void The_latent_time_axis_follows_the_duration()
    {
        using var bundle = new DiffusionBundleFixture(TestDenoiser.LinearEpsilon);
        Assert.Equal([4, 50], bundle.Manifest.LatentShapeFor(0.5));
        Assert.Equal([4, 51], bundle.Manifest.LatentShapeFor(0.501));
        Assert.Equal([4, 1], bundle.Manifest.LatentShapeFor(0.001));
    }
}
