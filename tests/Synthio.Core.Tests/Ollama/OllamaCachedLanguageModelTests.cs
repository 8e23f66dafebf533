using Synthio.Caching;
using Synthio.Diagnostics;
using Synthio.Language;
using Synthio.Language.Ollama;
using Synthio.Tests;

namespace Synthio.Core.Tests.Ollama;

/// <summary>The Ollama backend behind the step cache: what a second run asks the server.</summary>
public class OllamaCachedLanguageModelTests
{
    private const string Label = "sea_waves";
    private static readonly string[] ClipCaptions =
    [
        "A loud dark muffled whoosh throughout, amid steady background noise, lasting about 5 seconds.",
        "Loud hollow knocks in irregular bursts, in an echoing space, lasting about 5 seconds.",
    ];

    /// <summary>Answers any prompt with a valid reply built from what the prompt asks, so runs can repeat freely.</summary>
    private static ScriptedReply Answer(RecordedRequest request)
    {
        var prompt = request.Json!["prompt"]!.GetValue<string>();
        if (prompt.Contains("\"events\": [", StringComparison.Ordinal))
        {
            return ScriptedReply.Generated(FakeOllamaServer.Json(new { events = new[] { "a muffled whoosh", "hollow knocks" }, scenes = new[] { "in an echoing space" } }));
        }

        var seed = request.Json!["options"]!["seed"]!.GetValue<int>();
        if (prompt.Contains("\"captions\"", StringComparison.Ordinal))
        {
            var captions = Enumerable.Range(0, 5).Select(i => $"Sea waves with a muffled whoosh, take {seed % 1000}-{i}.").ToArray();
            return ScriptedReply.Generated(FakeOllamaServer.Json(new { captions }));
        }

        return ScriptedReply.Generated(FakeOllamaServer.Json(new { caption = $"Sea waves hitting a pier, take {seed % 1000}." }));
    }

    private static async Task<List<string>> RunAsync(ILanguageModel model)
    {
        var results = new List<string>();
        var components = new List<SoundComponents>();
        foreach (var caption in ClipCaptions)
        {
            var c = await model.ExtractComponentsAsync(Label, caption);
            components.Add(c);
            results.Add(string.Join('|', c.Events) + "/" + string.Join('|', c.Scenes));
        }

        var mixCap = new MixCapComposer(model);
        var batches = await mixCap.ComposeAsync(Label, MixCapComposer.Pool(components), 2, runSeed: 0);
        results.AddRange(batches.SelectMany(b => b.Captions));
        results.Add(await model.ReflectAsync(Label, batches[0].Captions[0], components[0], seed: 1));
        return results;
    }

    private static OllamaOptions Options(FakeOllamaServer server) => new()
    {
        Url = server.Url,
        Model = "tiny",
        MaxRetries = 0,
        InitialBackoff = TimeSpan.Zero,
    };

    [Fact]
    public async Task ASecondRunSendsNoGenerationRequestsButANewDigestOrPromptVersionDoes()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        await using var server = new FakeOllamaServer(("tiny:latest", "sha256:" + new string('1', 64)));
        server.Fallback = Answer;

        async Task<List<string>> Run(PromptLibrary? prompts = null)
        {
            // Fresh model, cache object and memory layer each time: only the folder carries over, as between builds.
            using var model = new OllamaLanguageModel(Options(server), prompts);
            using var cache = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter);
            return await RunAsync(new CachedLanguageModel(model, cache));
        }

        var first = await Run();
        var afterFirst = server.GenerationRequests;
        Assert.Equal(2 + 2 + 1, afterFirst);

        var second = await Run();
        Assert.Equal(first, second);
        Assert.Equal(afterFirst, server.GenerationRequests);

        // Pulling a new version of the model changes its digest: everything is asked again.
        server.Models[0] = ("tiny:latest", "sha256:" + new string('2', 64));
        await Run();
        Assert.Equal(2 * afterFirst, server.GenerationRequests);
        await Run();
        Assert.Equal(2 * afterFirst, server.GenerationRequests);

        // A new version of the MixCap prompt: asked again too.
        var prompts = Path.Combine(temp.Path, "prompts");
        Directory.CreateDirectory(prompts);
        var mixCap = PromptLibrary.Default.MixCap;
        File.WriteAllText(Path.Combine(prompts, PromptLibrary.MixCapFile),
            $"# prompt: mixcap\n# version: {mixCap.Version + 1}\n---\n{mixCap.Body}");
        await Run(PromptLibrary.FromDirectory(prompts));
        Assert.Equal(3 * afterFirst, server.GenerationRequests);

        Assert.Empty(reporter.Diagnostics);
    }

    [Fact]
    public async Task TheOfflineComposerIsCachedTooAndReadsBackIdentically()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        List<string> first;
        using (var cache = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter))
        {
            first = await RunAsync(new CachedLanguageModel(new OfflineComposer(), cache));
            Assert.Equal(0, cache.TotalReused);
            Assert.Equal(5, cache.TotalComputed);
        }

        using (var cache = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter))
        {
            var second = await RunAsync(new CachedLanguageModel(new OfflineComposer(), cache));
            Assert.Equal(first, second);
            Assert.Equal(5, cache.TotalReused);
            Assert.Equal(0, cache.TotalComputed);
        }

        Assert.Equal(first, await RunAsync(new OfflineComposer()));
    }

    [Fact]
    public async Task AFailedCallIsNotCached()
    {
        using var temp = new TempDirectory();
        var reporter = new CollectingReporter();
        await using var server = new FakeOllamaServer();
        server.Enqueue(ScriptedReply.Generated("not json"));
        server.Fallback = Answer;
        using var model = new OllamaLanguageModel(Options(server));
        using var cache = new StepCache(new ContentAddressedStore(temp.Path, reporter), reporter);
        var cached = new CachedLanguageModel(model, cache);

        var ex = await Assert.ThrowsAsync<SynthioException>(() => cached.ExtractComponentsAsync(Label, ClipCaptions[0]));
        Assert.Equal(DiagnosticCodes.LanguageModelBadReply, ex.Code);

        var components = await cached.ExtractComponentsAsync(Label, ClipCaptions[0]);
        Assert.Equal(["a muffled whoosh", "hollow knocks"], components.Events);
        Assert.Equal(2, server.GenerationRequests);
    }
}
