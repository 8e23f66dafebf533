using Microsoft.ML.OnnxRuntime;
using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Onnx.Runtime;
using Synthio.Onnx.Tests.Fixtures;

namespace Synthio.Onnx.Tests;

public sealed class OnnxDeviceTests
{
    [Theory]
    [InlineData("auto", OnnxDeviceKind.Auto, 0)]
    [InlineData("", OnnxDeviceKind.Auto, 0)]
    [InlineData("CPU", OnnxDeviceKind.Cpu, 0)]
    [InlineData("cuda", OnnxDeviceKind.Cuda, 0)]
    [InlineData("cuda:3", OnnxDeviceKind.Cuda, 3)]
    public void Parses_device_names(string text, OnnxDeviceKind kind, int id)
    {
        var device = OnnxDevice.Parse(text);
        Assert.Equal(kind, device.Kind);
        Assert.Equal(id, device.CudaDeviceId);
    }

    [Theory]
    [InlineData("tpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    public void Rejects_other_names_with_SYN9001(string text)
    {
        var error = Assert.Throws<SynthioException>(() => OnnxDevice.Parse(text));
        Assert.Equal("SYN9001", error.Code);
    }

    [Fact]
    public void The_probe_model_is_a_valid_onnx_model()
    {
        using var session = new InferenceSession(ProbeModel.Bytes);
        using var input = OrtValue.CreateTensorValueFromMemory(new[] { 4.5f }, new long[] { 1 });
        using var output = session.Run(new RunOptions(), [ProbeModel.InputName], [input], [ProbeModel.OutputName]);
        Assert.Equal(4.5f, output[0].GetTensorDataAsSpan<float>()[0]);
    }

    [Fact]
    public async Task Auto_falls_back_to_cpu_with_one_warning_quoting_ort_and_the_run_succeeds()
    {
        using var clap = new ClapFolderFixture();
        var reporter = new CollectingReporter();
        var scorer = OnnxBackendFactory.CreateClapScorer(clap.Folder, "auto", 2.0, reporter);
        var embedder = OnnxBackendFactory.CreateClapEmbedder(clap.Folder, "auto", reporter);
        var clip = new AudioBuffer(Enumerable.Range(0, 16000).Select(i => (float)Math.Sin(i * 0.1)).ToArray(), 16000);
        var score = await scorer.ScoreAsync(clip, "dog");
        Assert.InRange(score, 0, 1);
        Assert.Equal(512, embedder.Embed(clip).Length);

        var probe = CudaProbe.Probe(0);
        var warnings = reporter.Diagnostics.Where(d => d.Code == "SYN3003").ToArray();
        if (probe.Available)
        {
            Assert.Empty(warnings);
        }
        else
        {
            // One warning for the whole run (two backends, four sessions), quoting what ONNX Runtime said.
            var warning = Assert.Single(warnings);
            Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
            Assert.Contains(probe.FailureReason!, warning.Message);
            Assert.False(string.IsNullOrWhiteSpace(probe.FailureReason));
            Assert.Contains("CPU", OnnxBackendFactory.DescribeDevice("auto"));
            Assert.Contains(probe.FailureReason!, OnnxBackendFactory.DescribeDevice("auto"));
        }
    }

    [Fact]
    public void Explicit_cuda_that_cannot_start_is_SYN3004()
    {
        using var clap = new ClapFolderFixture();
        if (CudaProbe.Probe(0).Available)
        {
            Assert.Contains("CUDA", OnnxBackendFactory.DescribeDevice("cuda"));
            return;
        }

        var error = Assert.Throws<SynthioException>(() => OnnxBackendFactory.CreateClapEmbedder(clap.Folder, "cuda", new CollectingReporter()));
        Assert.Equal("SYN3004", error.Code);
        Assert.Contains("unusable", OnnxBackendFactory.DescribeDevice("cuda:0"));
    }

    [Fact]
    public void Describe_device_says_which_provider_and_names_the_runtime()
    {
        Assert.Contains("CPU execution provider", OnnxBackendFactory.DescribeDevice("cpu"));
        Assert.Contains("1.31.0", OnnxBackendFactory.DescribeDevice("cpu"));
        Assert.Contains("Unknown device", OnnxBackendFactory.DescribeDevice("tpu"));
    }
}
