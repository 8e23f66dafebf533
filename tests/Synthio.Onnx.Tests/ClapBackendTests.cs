using Synthio.Audio;
using Synthio.Diagnostics;
using Synthio.Onnx.Clap;
using Synthio.Onnx.Runtime;
using Synthio.Onnx.Tests.Fixtures;

namespace Synthio.Onnx.Tests;

public sealed class ClapBackendTests : IClassFixture<ClapBackendTests.Folder>
{
    private readonly ClapFolderFixture _fixture;

    public ClapBackendTests(Folder folder) => _fixture = folder.Clap;

    public sealed class Folder : IDisposable
    {
        public ClapFolderFixture Clap { get; } = new();

        public void Dispose() => Clap.Dispose();
    }

    private static AudioBuffer Tone(double frequency, double seconds, int rate = 48000, double amplitude = 0.5) =>
        new(Enumerable.Range(0, (int)(seconds * rate)).Select(n => (float)(amplitude * Math.Sin(2 * Math.PI * frequency * n / rate))).ToArray(), rate);

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Cosine(double[] a, double[] b) =>
        a.Zip(b, (x, y) => x * y).Sum() / Math.Sqrt(a.Sum(x => x * x) * b.Sum(y => y * y));

    [Fact]
    public async Task Score_is_sigmoid_of_scaled_cosine_between_the_towers_outputs()
    {
        var reporter = new CollectingReporter();
        var scorer = OnnxBackendFactory.CreateClapScorer(_fixture.Folder, "cpu", logitScale: 2.0, reporter);
        Assert.Empty(reporter.Diagnostics);

        var clip = Tone(440, 2.5);
        var frontEnd = new ClapMelFrontEnd(ClapFrontEndSettings.Default);
        var audio = _fixture.ExpectedAudioEmbedding(frontEnd.Compute(clip));
        int[] dogIds = [0, TinyTokenizerJson.Id("Sound"), TinyTokenizerJson.Id("Ġof"), TinyTokenizerJson.Id("Ġa"), TinyTokenizerJson.Id("Ġdog"), 2];
        var expectedDog = Sigmoid(Math.Exp(2.0) * Cosine(audio, _fixture.ExpectedTextEmbedding(dogIds)));
        int[] rainIds = [0, TinyTokenizerJson.Id("Sound"), TinyTokenizerJson.Id("Ġof"), TinyTokenizerJson.Id("Ġa"), TinyTokenizerJson.Id("Ġrain"), 2];
        var expectedRain = Sigmoid(Math.Exp(2.0) * Cosine(audio, _fixture.ExpectedTextEmbedding(rainIds)));

        var dog = await scorer.ScoreAsync(clip, "dog");
        var rain = await scorer.ScoreAsync(clip, "rain");
        Assert.Equal(expectedDog, dog, tolerance: 1e-5);
        Assert.Equal(expectedRain, rain, tolerance: 1e-5);
        Assert.NotEqual(dog, rain, 3);
        Assert.InRange(dog, 0, 1);
    }

    [Fact]
    public async Task Concurrent_scores_are_batched_and_equal_single_scores()
    {
        using var model = ClapModel.Open(_fixture.Folder, OnnxDevice.Cpu, new CollectingReporter(), new ClapRunOptions(MaxBatch: 4, Workers: 2));
        var scorer = new ClapAudioTextScorer(model, ClapAudioTextScorer.InitialLogitScale);
        var clips = new[] { 220.0, 440, 880, 1760, 3520, 7040 }.Select(f => Tone(f, 1.0 + f / 7040)).ToArray();
        var together = await Task.WhenAll(clips.Select(c => scorer.ScoreAsync(c, "dog")));
        var batch = scorer.ScoreBatch(clips, "dog");
        for (var i = 0; i < clips.Length; i++)
        {
            var alone = await scorer.ScoreAsync(clips[i], "dog");
            Assert.Equal(alone, together[i], tolerance: 1e-5);
            Assert.Equal(alone, batch[i], tolerance: 1e-5);
        }

        Assert.True(together.Distinct().Count() > 1, "different clips must score differently");
    }

    [Fact]
    public void Embedder_returns_the_normalised_audio_tower_output()
    {
        var embedder = OnnxBackendFactory.CreateClapEmbedder(_fixture.Folder, "cpu", new CollectingReporter());
        Assert.Equal(512, embedder.Dimension);
        var clip = Tone(1000, 1.0, rate: 16000);
        var embedding = embedder.Embed(clip);
        var expected = _fixture.ExpectedAudioEmbedding(new ClapMelFrontEnd(ClapFrontEndSettings.Default).Compute(clip));
        var norm = Math.Sqrt(expected.Sum(x => x * x));
        Assert.Equal(512, embedding.Length);
        for (var d = 0; d < 512; d++)
        {
            Assert.Equal(expected[d] / norm, embedding[d], tolerance: 1e-5);
        }
    }

    [Fact]
    public void Identity_carries_the_sha256_of_every_model_file_and_the_logit_scale()
    {
        var reporter = new CollectingReporter();
        var scorer = OnnxBackendFactory.CreateClapScorer(_fixture.Folder, "cpu", 2.5, reporter);
        var audioHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(_fixture.Folder, "onnx", "audio_model.onnx"))));
        var textHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(_fixture.Folder, "onnx", "text_model.onnx"))));
        Assert.Contains(audioHash, scorer.Identity);
        Assert.Contains(textHash, scorer.Identity);
        Assert.Contains("logit_scale=2.5", scorer.Identity);
        Assert.NotEqual(scorer.Identity, OnnxBackendFactory.CreateClapScorer(_fixture.Folder, "cpu", 2.6, reporter).Identity);
        Assert.Contains(audioHash, OnnxBackendFactory.CreateClapEmbedder(_fixture.Folder, "cpu", reporter).Identity);
    }

    [Fact]
    public void A_scorer_and_an_embedder_on_one_folder_share_one_model_until_a_file_changes()
    {
        using var folder = new ClapFolderFixture();
        var reporter = new CollectingReporter();
        var scorer = (ClapAudioTextScorer)OnnxBackendFactory.CreateClapScorer(folder.Folder, "cpu", 2.0, reporter);
        var embedder = (ClapAudioEmbedder)OnnxBackendFactory.CreateClapEmbedder(folder.Folder + Path.DirectorySeparatorChar, "cpu", reporter);
        Assert.Same(scorer.Model, embedder.Model);

        // A rewritten file is another model: the folder is opened (and hashed) afresh.
        var tokenizer = Path.Combine(folder.Folder, "tokenizer.json");
        File.SetLastWriteTimeUtc(tokenizer, File.GetLastWriteTimeUtc(tokenizer).AddMinutes(-5));
        var reopened = (ClapAudioEmbedder)OnnxBackendFactory.CreateClapEmbedder(folder.Folder, "cpu", reporter);
        Assert.NotSame(scorer.Model, reopened.Model);
        Assert.Equal(embedder.Identity, reopened.Identity);
    }

    [Fact]
    public void Zero_shot_probabilities_are_a_softmax_over_labels()
    {
        using var model = ClapModel.Open(_fixture.Folder, OnnxDevice.Cpu, new CollectingReporter());
        var scorer = new ClapAudioTextScorer(model, 1.0);
        var probabilities = scorer.ZeroShotProbabilities(Tone(300, 1), ["dog", "rain"]);
        Assert.Equal(1.0, probabilities.Sum(), 9);
        var dog = scorer.ScoreBatch([Tone(300, 1)], "dog")[0];
        var rain = scorer.ScoreBatch([Tone(300, 1)], "rain")[0];
        Assert.Equal(dog > rain, probabilities[0] > probabilities[1]);
    }

    [Fact]
    public async Task A_scale_above_ln_100_is_read_as_the_multiplier_and_said_so()
    {
        var reporter = new CollectingReporter();
        var fromMultiplier = OnnxBackendFactory.CreateClapScorer(_fixture.Folder, "cpu", 1 / 0.07, reporter);
        var fromLog = OnnxBackendFactory.CreateClapScorer(_fixture.Folder, "cpu", Math.Log(1 / 0.07), new CollectingReporter());
        Assert.Equal(fromLog.Identity, fromMultiplier.Identity);
        var clip = Tone(523, 1.2);
        Assert.Equal(await fromLog.ScoreAsync(clip, "dog"), await fromMultiplier.ScoreAsync(clip, "dog"), tolerance: 1e-12);
        Assert.Contains(reporter.Messages, m => m.Contains("multiplier", StringComparison.Ordinal));

        using var model = ClapModel.Open(_fixture.Folder, OnnxDevice.Cpu, new CollectingReporter());
        Assert.Equal("SYN9001", Assert.Throws<SynthioException>(() => new ClapAudioTextScorer(model, 4.7)).Code);
        Assert.Equal("SYN9001", Assert.Throws<SynthioException>(() => new ClapAudioTextScorer(model, double.NaN)).Code);
    }

    [Fact]
    public void Labels_from_folder_names_read_as_words()
    {
        Assert.Equal("Sound of a crying baby", ClapAudioTextScorer.PromptFor("crying_baby"));
        Assert.Equal("Sound of a sea waves", ClapAudioTextScorer.PromptFor("sea-waves"));
    }

    [Theory]
    [InlineData("onnx/audio_model.onnx")]
    [InlineData("onnx/text_model.onnx")]
    [InlineData("tokenizer.json")]
    [InlineData("preprocessor_config.json")]
    public void A_missing_file_is_SYN3002_naming_it(string file)
    {
        using var copy = new Synthio.Tests.TempDirectory("synthio-clap-copy");
        foreach (var source in Directory.EnumerateFiles(_fixture.Folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_fixture.Folder, source);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy.Path, relative))!);
            File.Copy(source, Path.Combine(copy.Path, relative));
        }

        File.Delete(Path.Combine(copy.Path, file));
        var error = Assert.Throws<SynthioException>(() => OnnxBackendFactory.CreateClapScorer(copy.Path, "cpu", 2.0, new CollectingReporter()));
        Assert.Equal("SYN3002", error.Code);
        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void A_model_with_the_wrong_input_name_is_SYN3002()
    {
        using var copy = new Synthio.Tests.TempDirectory("synthio-clap-wrong");
        Directory.CreateDirectory(Path.Combine(copy.Path, "onnx"));
        File.Copy(Path.Combine(_fixture.Folder, "tokenizer.json"), Path.Combine(copy.Path, "tokenizer.json"));
        File.Copy(Path.Combine(_fixture.Folder, "preprocessor_config.json"), Path.Combine(copy.Path, "preprocessor_config.json"));
        File.Copy(Path.Combine(_fixture.Folder, "onnx", "text_model.onnx"), Path.Combine(copy.Path, "onnx", "text_model.onnx"));
        var wrong = new OnnxGraphBuilder()
            .Input("features", OnnxGraphBuilder.Float, "batch_size", 1, 1001, 64)
            .Output("audio_embeds", OnnxGraphBuilder.Float, "batch_size", 1, 1001, 64);
        wrong.Node("Identity", ["features"], "audio_embeds");
        wrong.Save(Path.Combine(copy.Path, "onnx", "audio_model.onnx"));
        var error = Assert.Throws<SynthioException>(() => OnnxBackendFactory.CreateClapEmbedder(copy.Path, "cpu", new CollectingReporter()));
        Assert.Equal("SYN3002", error.Code);
        Assert.Contains("input_features", error.Message);
    }

    [Fact]
    public void A_missing_folder_is_SYN3002()
    {
        var error = Assert.Throws<SynthioException>(() => OnnxBackendFactory.CreateClapEmbedder(Path.Combine(Path.GetTempPath(), "no-such-clap-" + Guid.NewGuid()), "cpu", new CollectingReporter()));
        Assert.Equal("SYN3002", error.Code);
    }
}
