using Synthio.Diagnostics;
using Synthio.Generation;
using Synthio.Language;
using Synthio.Onnx.Generation;
using Synthio.Onnx.Runtime;
using Synthio.Onnx.Tests.Fixtures;

namespace Synthio.Onnx.Tests;

/// <summary>The samplers, run through ONNX Runtime on analytic denoiser graphs, against closed forms.</summary>
public sealed class DiffusionSamplerTests
{
    private const double Tolerance = 1e-4;

    private static readonly int[] DogPrompt = [0, TinyTokenizerJson.Id("a"), TinyTokenizerJson.Id("Ġdog"), 2]; // "a dog"
    private static readonly int[] EmptyPrompt = [0, 2];

    private static GenerationRequest Request(string caption, double seconds, int seed) =>
        new("dog", caption, SoundComponents.Empty, seconds, seed);

    private static OnnxTextToAudio Open(DiffusionBundleFixture bundle, SamplerOverrides? overrides = null) =>
        OnnxTextToAudio.Open(bundle.Folder, OnnxDevice.Cpu, new CollectingReporter(), overrides);

    [Theory]
    [InlineData(TestDenoiser.PointMassEpsilonDiscrete, "ddim", 10)]
    [InlineData(TestDenoiser.PointMassEpsilonDiscrete, "dpmpp-2m", 10)]
    [InlineData(TestDenoiser.PointMassEpsilonDiscrete, "dpmpp-2m", 37)]
    [InlineData(TestDenoiser.PointMassVelocityContinuous, "ddim", 7)]
    [InlineData(TestDenoiser.PointMassVelocityContinuous, "dpmpp-2m", 25)]
    public void Point_mass_data_lands_exactly_on_the_guided_mean(TestDenoiser denoiser, string sampler, int steps)
    {
        // With data a point mass at μ(text), the denoiser's x0 is exact at every step, so both samplers end on
        // μ_u + g(μ_c − μ_u) whatever the noise and the number of steps.
        const double guidance = 3.0;
        using var bundle = new DiffusionBundleFixture(denoiser, sampler, steps, guidance);
        using var model = Open(bundle);
        var frames = 50;
        var conditional = bundle.PointMass(DogPrompt, frames);
        var unconditional = bundle.PointMass(EmptyPrompt, frames);
        foreach (var seed in new[] { 1, 2024 })
        {
            var latent = model.SampleLatents([Request("a dog", 0.5, seed)], CancellationToken.None)[0];
            Assert.Equal(Channels * frames, latent.Length);
            for (var i = 0; i < latent.Length; i++)
            {
                var expected = unconditional[i] + guidance * (conditional[i] - unconditional[i]);
                Assert.True(Math.Abs(latent[i] - expected) < Tolerance, $"seed {seed} element {i}: expected {expected}, got {latent[i]}");
            }
        }
    }

    private const int Channels = DiffusionBundleFixture.Channels;

    [Theory]
    [InlineData("ddim", 12)]
    [InlineData("dpmpp-2m", 12)]
    [InlineData("dpmpp-2m", 3)]
    public void A_linear_denoiser_gives_the_closed_form_multiple_of_the_seeded_noise(string sampler, int steps)
    {
        // ε(x) = k·x makes every step linear: x_final = Π (step factors) · noise for DDIM, and a two-term
        // linear recurrence for DPM-Solver++(2M). Both are computed here from the schedule's definition.
        using var bundle = new DiffusionBundleFixture(TestDenoiser.LinearEpsilon, sampler, steps, guidance: 1.0);
        using var model = Open(bundle);
        var alphaBar = DiffusionBundleFixture.ScaledLinearAlphaBar(1000);
        var points = Enumerable.Range(0, steps)
            .Select(i => (int)Math.Round(999 * (1 - (double)i / steps)))
            .Select(t => (Alpha: Math.Sqrt(alphaBar[t]), Sigma: Math.Sqrt(1 - alphaBar[t])))
            .Append((Alpha: 1.0, Sigma: 0.0))
            .ToArray();
        var k = DiffusionBundleFixture.LinearK;

        // Track x as a multiple of the initial noise: x = a·z; x0 = c·x with c = (1 − kσ)/α.
        double current = 1, previousData = 0, previousH = 0;
        for (var i = 0; i < steps; i++)
        {
            var (alpha, sigma) = points[i];
            var (nextAlpha, nextSigma) = points[i + 1];
            var data = (1 - k * sigma) / alpha * current;
            if (sampler == "ddim")
            {
                current = nextAlpha * data + nextSigma * k * current;
                continue;
            }

            if (nextSigma == 0)
            {
                current = data;
                continue;
            }

            var h = Math.Log(nextAlpha / nextSigma) - Math.Log(alpha / sigma);
            // Second order from the second step on: D = (1 + 1/(2r))·x0 − 1/(2r)·x0_prev with r = h_prev/h.
            var half = i == 0 ? 0 : h / (2 * previousH);
            var d = (1 + half) * data - half * previousData;
            current = nextSigma / sigma * current - nextAlpha * (Math.Exp(-h) - 1) * d;
            previousData = data;
            previousH = h;
        }

        var seed = 77;
        var latent = model.SampleLatents([Request("a dog", 0.3, seed)], CancellationToken.None)[0];
        var noise = new float[latent.Length];
        new GaussianNoise(seed).Fill(noise);
        for (var i = 0; i < latent.Length; i++)
        {
            var expected = current * noise[i];
            Assert.True(Math.Abs(latent[i] - expected) < Tolerance * Math.Max(1, Math.Abs(expected)), $"element {i}: expected {expected}, got {latent[i]}");
        }

        Assert.True(Math.Abs(current - 1) > 0.01, "the closed form must move the noise");
    }

    [Fact]
    public async Task Generated_audio_is_the_decoded_guided_latent_cut_to_the_duration()
    {
        using var bundle = new DiffusionBundleFixture(TestDenoiser.PointMassEpsilonDiscrete, "dpmpp-2m", 8, guidance: 2.5);
        using var model = Open(bundle);
        var request = Request("a dog", 0.503, seed: 5);
        var audio = await model.GenerateAsync(request);
        Assert.Equal(DiffusionBundleFixture.SampleRate, audio.SampleRate);
        Assert.Equal(1006, audio.Length);

        var frames = 51; // ceil(0.503 s × 100 frames/s)
        var conditional = bundle.PointMass(DogPrompt, frames);
        var unconditional = bundle.PointMass(EmptyPrompt, frames);
        var latent = conditional.Select((c, i) => unconditional[i] + 2.5 * (c - unconditional[i])).ToArray();
        var expected = bundle.Decode(latent, frames);
        for (var i = 0; i < audio.Length; i++)
        {
            Assert.True(Math.Abs(audio.Samples[i] - expected[i]) < 1e-3, $"sample {i}: expected {expected[i]}, got {audio.Samples[i]}");
        }
    }

    [Fact]
    public async Task A_vocoder_bundle_decodes_to_mel_then_to_the_waveform()
    {
        using var bundle = new DiffusionBundleFixture(TestDenoiser.PointMassVelocityContinuous, "ddim", 5, guidance: 1.0, vocoder: true);
        using var model = Open(bundle);
        var audio = await model.GenerateAsync(Request("a dog", 0.25, seed: 3));
        Assert.Equal(500, audio.Length);
        var frames = 25;
        var expected = bundle.Decode(bundle.PointMass(DogPrompt, frames), frames);
        for (var i = 0; i < audio.Length; i++)
        {
            Assert.True(Math.Abs(audio.Samples[i] - expected[i]) < 1e-3, $"sample {i}");
        }
    }

    [Fact]
    public async Task A_clip_generated_in_a_batch_equals_the_clip_generated_alone_and_seeds_matter()
    {
        using var bundle = new DiffusionBundleFixture(TestDenoiser.LinearEpsilon, "dpmpp-2m", 6, guidance: 2.0);
        using var model = Open(bundle, new SamplerOverrides(MaxBatch: 3));
        var requests = new[]
        {
            Request("a dog", 0.2, 1), Request("rain", 0.2, 2), Request("a dog", 0.3, 3), Request("a dog", 0.2, 4),
            Request("a dog", 0.2, 1),
        };
        var together = await model.GenerateBatchAsync(requests);
        var concurrent = await Task.WhenAll(requests.Select(r => model.GenerateAsync(r)));
        for (var i = 0; i < requests.Length; i++)
        {
            var alone = await model.GenerateAsync(requests[i]);
            Assert.Equal(alone.Length, together[i].Length);
            Assert.Equal(alone.Length, concurrent[i].Length);
            for (var j = 0; j < alone.Length; j++)
            {
                Assert.Equal(alone.Samples[j], together[i].Samples[j], tolerance: 1e-5f);
                Assert.Equal(alone.Samples[j], concurrent[i].Samples[j], tolerance: 1e-5f);
            }
        }

        Assert.Equal(together[0].Samples, together[4].Samples);
        Assert.NotEqual(together[0].Samples, together[3].Samples);
        Assert.Equal(600, together[2].Length);
    }

    [Fact]
    public void Gaussian_noise_is_deterministic_and_standard_normal()
    {
        var a = new float[200000];
        var b = new float[200000];
        new GaussianNoise(42).Fill(a);
        new GaussianNoise(42).Fill(b);
        Assert.Equal(a, b);
        var mean = a.Average(v => (double)v);
        var variance = a.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
        var c = new float[16];
        new GaussianNoise(43).Fill(c);
        Assert.NotEqual(a.Take(16), c);
    }

    [Fact]
    public void Schedules_follow_their_definitions()
    {
        var scaled = new NoiseSchedule(NoiseScheduleKind.ScaledLinear);
        var reference = DiffusionBundleFixture.ScaledLinearAlphaBar(1000);
        foreach (var t in new[] { 0, 1, 500, 999 })
        {
            Assert.Equal(reference[t], scaled.AlphaCumprod(t), 12);
        }

        var path = scaled.Path(4);
        Assert.Equal([999.0, 749, 500, 250, 0], path.Select(p => p.ModelTime));
        Assert.True(path[^1].IsClean);
        foreach (var point in path)
        {
            Assert.Equal(1.0, point.Alpha * point.Alpha + point.Sigma * point.Sigma, 12);
        }

        var continuous = new NoiseSchedule(NoiseScheduleKind.ContinuousCosine, timeScale: 1000).Path(2);
        Assert.Equal([1000.0, 500, 0], continuous.Select(p => p.ModelTime));
        Assert.Equal(Math.Cos(Math.PI / 4), continuous[1].Alpha, 12);

        var cosine = new NoiseSchedule(NoiseScheduleKind.Cosine, 1000);
        Assert.InRange(cosine.AlphaCumprod(0), 0.9999, 1.0);
        Assert.InRange(cosine.AlphaCumprod(999), 0, 1e-3);
    }
}
