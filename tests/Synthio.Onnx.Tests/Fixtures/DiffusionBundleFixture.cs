using Synthio.Onnx.Generation;
using Synthio.Tests;

namespace Synthio.Onnx.Tests.Fixtures;

/// <summary>Which analytic denoiser a test bundle carries.</summary>
public enum TestDenoiser
{
    /// <summary>Data is a point mass at μ(text): ε = (x − α(t)·μ)/σ(t), α, σ looked up from the int64 training step.</summary>
    PointMassEpsilonDiscrete,

    /// <summary>Data is a point mass at μ(text): v = α(x − αμ)/σ − σμ with α = cos(πt/2), σ = sin(πt/2) of the float time.</summary>
    PointMassVelocityContinuous,

    /// <summary>ε = k·x, linear in the input and blind to time and text.</summary>
    LinearEpsilon,
}

/// <summary>
/// Writes a complete text-to-audio bundle with tiny graphs using the real kinds of inputs and dynamic axes:
/// text encoder input_ids/attention_mask int64 [batch_size, sequence_length] → last_hidden_state [batch_size, sequence_length, 8];
/// denoiser sample [batch_size, 4, latent_frames], timestep [batch_size], encoder_hidden_states → out_sample;
/// decoder latent → waveform [batch_size, 1, samples] (or mel [batch_size, 1, frames, 4] and a vocoder mel → waveform [batch_size, samples]).
/// </summary>
public sealed class DiffusionBundleFixture : IDisposable
{
    public const int Channels = 4;
    public const int Hidden = 8;
    public const int SamplesPerFrame = 20;
    public const double FramesPerSecond = 100;
    public const int SampleRate = 2000;
    public const double LinearK = 0.5;
    public const double LatentScale = 2.0;
    public static readonly float[] Pattern = [1.0f, -0.5f, 0.25f, 2.0f];

    private readonly TempDirectory _directory = new("synthio-t2a");

    public DiffusionBundleFixture(TestDenoiser denoiser, string sampler = "ddim", int steps = 10, double guidance = 3.0, bool vocoder = false, int trainSteps = 1000)
    {
        var random = new Random(99);
        var vocabulary = TinyTokenizerJson.Vocabulary.Count;
        TokenEmbeddings = Enumerable.Range(0, vocabulary * Hidden).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        DecoderWeights = Enumerable.Range(0, Channels * SamplesPerFrame).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        TrainSteps = trainSteps;

        TinyTokenizerJson.Write(Path.Combine(Folder, "tokenizer.json"));
        WriteTextEncoder(Path.Combine(Folder, "text_encoder.onnx"));
        WriteDenoiser(Path.Combine(Folder, "denoiser.onnx"), denoiser);
        WriteDecoder(Path.Combine(Folder, "decoder.onnx"), vocoder);
        if (vocoder)
        {
            WriteVocoder(Path.Combine(Folder, "vocoder.onnx"));
        }

        var continuous = denoiser == TestDenoiser.PointMassVelocityContinuous;
        Manifest = new DiffusionBundle
        {
            Format = DiffusionBundle.CurrentFormat,
            Name = "tiny-test-model",
            SampleRate = SampleRate,
            Tokenizer = "tokenizer.json",
            MaxTokens = 32,
            TextEncoder = new TextEncoderGraph { File = "text_encoder.onnx" },
            Denoiser = new DenoiserGraph { File = "denoiser.onnx" },
            LatentDecoder = new BundleGraph { File = "decoder.onnx", Input = "latent", Output = vocoder ? "mel" : "waveform" },
            Vocoder = vocoder ? new BundleGraph { File = "vocoder.onnx", Input = "mel", Output = "waveform" } : null,
            Latent = new LatentSpec { Shape = [Channels, -1], FramesPerSecond = FramesPerSecond, Scale = LatentScale },
            Prediction = continuous ? "v" : "epsilon",
            Schedule = continuous
                ? new ScheduleSpec { Kind = "continuous-cosine" }
                : new ScheduleSpec { Kind = "scaled-linear", TrainSteps = trainSteps, BetaStart = 0.00085, BetaEnd = 0.012 },
            Sampler = new SamplerSpec { Kind = sampler, Steps = steps, GuidanceScale = guidance, NegativePrompt = string.Empty },
        };
        File.WriteAllText(Path.Combine(Folder, DiffusionBundle.ManifestFile), Manifest.ToJson());
    }

    public string Folder => _directory.Path;

    public DiffusionBundle Manifest { get; }

    public float[] TokenEmbeddings { get; }

    public float[] DecoderWeights { get; }

    public int TrainSteps { get; }

    /// <summary>ᾱ of the scaled-linear schedule, from its definition β_i = (√β0 + i/(T−1)(√β1 − √β0))², ᾱ_i = Π(1 − β_j).</summary>
    public static double[] ScaledLinearAlphaBar(int trainSteps, double betaStart = 0.00085, double betaEnd = 0.012)
    {
        var result = new double[trainSteps];
        var product = 1.0;
        for (var i = 0; i < trainSteps; i++)
        {
            var root = Math.Sqrt(betaStart) + (double)i / (trainSteps - 1) * (Math.Sqrt(betaEnd) - Math.Sqrt(betaStart));
            product *= 1 - root * root;
            result[i] = product;
        }

        return result;
    }

    /// <summary>μ(text) as the graphs compute it: 0.1 · Σ of the unmasked token rows, times the per-channel pattern.</summary>
    public double[] PointMass(IReadOnlyList<int> ids, int frames)
    {
        double sum = 0;
        foreach (var id in ids)
        {
            for (var d = 0; d < Hidden; d++)
            {
                sum += TokenEmbeddings[id * Hidden + d];
            }
        }

        var mu = new double[Channels * frames];
        for (var c = 0; c < Channels; c++)
        {
            for (var t = 0; t < frames; t++)
            {
                mu[c * frames + t] = 0.1 * sum * Pattern[c];
            }
        }

        return mu;
    }

    /// <summary>The decoder's waveform for a latent [4, frames] (before the duration cut): (latent/scale)ᵀ·W, frame after frame.</summary>
    public double[] Decode(double[] latent, int frames)
    {
        var samples = new double[frames * SamplesPerFrame];
        for (var t = 0; t < frames; t++)
        {
            for (var j = 0; j < SamplesPerFrame; j++)
            {
                double value = 0;
                for (var c = 0; c < Channels; c++)
                {
                    value += latent[c * frames + t] / LatentScale * DecoderWeights[c * SamplesPerFrame + j];
                }

                samples[t * SamplesPerFrame + j] = value;
            }
        }

        return samples;
    }

    public void Dispose() => _directory.Dispose();

    private void WriteTextEncoder(string path)
    {
        var g = new OnnxGraphBuilder()
            .Input("input_ids", OnnxGraphBuilder.Int64, "batch_size", "sequence_length")
            .Input("attention_mask", OnnxGraphBuilder.Int64, "batch_size", "sequence_length")
            .Output("last_hidden_state", OnnxGraphBuilder.Float, "batch_size", "sequence_length", Hidden);
        var rows = g.Node("Gather", [g.Constant(TokenEmbeddings, TokenEmbeddings.Length / Hidden, Hidden), "input_ids"], null, OnnxGraphBuilder.Int("axis", 0));
        var mask = g.Node("Cast", ["attention_mask"], null, OnnxGraphBuilder.Int("to", OnnxGraphBuilder.Float));
        var mask3 = g.Node("Unsqueeze", [mask, g.ConstantInt64([2], 1)]);
        g.Node("Mul", [rows, mask3], "last_hidden_state");
        g.Save(path);
    }

    private void WriteDenoiser(string path, TestDenoiser kind)
    {
        var discrete = kind != TestDenoiser.PointMassVelocityContinuous;
        var g = new OnnxGraphBuilder()
            .Input("sample", OnnxGraphBuilder.Float, "batch_size", Channels, "latent_frames")
            .Input("timestep", discrete ? OnnxGraphBuilder.Int64 : OnnxGraphBuilder.Float, "batch_size")
            .Input("encoder_hidden_states", OnnxGraphBuilder.Float, "batch_size", "sequence_length", Hidden)
            .Output("out_sample", OnnxGraphBuilder.Float, "batch_size", Channels, "latent_frames");
        if (kind == TestDenoiser.LinearEpsilon)
        {
            // The timestep and text still flow in (times zero) so every input is consumed.
            var k = g.Node("Mul", ["sample", g.Constant([(float)LinearK], 1)]);
            var contextSum = g.Node("ReduceSum", ["encoder_hidden_states", g.ConstantInt64([1, 2], 2)], null, OnnxGraphBuilder.Int("keepdims", 1));
            var time = g.Node("Cast", ["timestep"], null, OnnxGraphBuilder.Int("to", OnnxGraphBuilder.Float));
            var time3 = g.Node("Unsqueeze", [time, g.ConstantInt64([1, 2], 2)]);
            var nothing = g.Node("Mul", [g.Node("Add", [contextSum, time3]), g.Constant([0f], 1)]);
            g.Node("Add", [k, nothing], "out_sample");
            g.Save(path);
            return;
        }

        var sum = g.Node("ReduceSum", ["encoder_hidden_states", g.ConstantInt64([1, 2], 2)], null, OnnxGraphBuilder.Int("keepdims", 1));
        var mu = g.Node("Mul", [g.Node("Mul", [sum, g.Constant([0.1f], 1)]), g.Constant(Pattern, 1, Channels, 1)]);
        string alpha, sigma;
        if (discrete)
        {
            var alphaBar = ScaledLinearAlphaBar(TrainSteps);
            var alphas = g.Node("Gather", [g.Constant(alphaBar.Select(a => (float)Math.Sqrt(a)).ToArray(), TrainSteps), "timestep"], null, OnnxGraphBuilder.Int("axis", 0));
            var sigmas = g.Node("Gather", [g.Constant(alphaBar.Select(a => (float)Math.Sqrt(1 - a)).ToArray(), TrainSteps), "timestep"], null, OnnxGraphBuilder.Int("axis", 0));
            alpha = g.Node("Unsqueeze", [alphas, g.ConstantInt64([1, 2], 2)]);
            sigma = g.Node("Unsqueeze", [sigmas, g.ConstantInt64([1, 2], 2)]);
        }
        else
        {
            var theta = g.Node("Mul", ["timestep", g.Constant([(float)(Math.PI / 2)], 1)]);
            alpha = g.Node("Unsqueeze", [g.Node("Cos", [theta]), g.ConstantInt64([1, 2], 2)]);
            sigma = g.Node("Unsqueeze", [g.Node("Sin", [theta]), g.ConstantInt64([1, 2], 2)]);
        }

        var epsilon = g.Node("Div", [g.Node("Sub", ["sample", g.Node("Mul", [alpha, mu])]), sigma]);
        if (discrete)
        {
            g.Node("Identity", [epsilon], "out_sample");
        }
        else
        {
            // v = α·ε − σ·x0 with x0 = μ.
            g.Node("Sub", [g.Node("Mul", [alpha, epsilon]), g.Node("Mul", [sigma, mu])], "out_sample");
        }

        g.Save(path);
    }

    private void WriteDecoder(string path, bool vocoder)
    {
        var g = new OnnxGraphBuilder().Input("latent", OnnxGraphBuilder.Float, "batch_size", Channels, "latent_frames");
        var timeMajor = g.Node("Transpose", ["latent"], null, OnnxGraphBuilder.Ints("perm", 0, 2, 1));
        if (vocoder)
        {
            g.Output("mel", OnnxGraphBuilder.Float, "batch_size", 1, "latent_frames", Channels);
            g.Node("Unsqueeze", [timeMajor, g.ConstantInt64([1], 1)], "mel");
        }
        else
        {
            g.Output("waveform", OnnxGraphBuilder.Float, "batch_size", 1, "samples");
            var frames = g.Node("MatMul", [timeMajor, g.Constant(DecoderWeights, Channels, SamplesPerFrame)]);
            g.Node("Reshape", [frames, g.ConstantInt64([0, 1, -1], 3)], "waveform");
        }

        g.Save(path);
    }

    private void WriteVocoder(string path)
    {
        var g = new OnnxGraphBuilder()
            .Input("mel", OnnxGraphBuilder.Float, "batch_size", "frames", Channels)
            .Output("waveform", OnnxGraphBuilder.Float, "batch_size", "samples");
        var frames = g.Node("MatMul", ["mel", g.Constant(DecoderWeights, Channels, SamplesPerFrame)]);
        g.Node("Reshape", [frames, g.ConstantInt64([0, -1], 2)], "waveform");
        g.Save(path);
    }
}
