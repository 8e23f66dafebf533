using System.Net;
using System.Net.Sockets;
using Synthio.Diagnostics;
using Synthio.Language;
using Synthio.Language.Ollama;

namespace Synthio.Core.Tests.Ollama;

public class OllamaLanguageModelTests
{
    private static readonly SoundComponents Pool = new(
        ["sharp clicks repeating steadily", "a low rumble"],
        ["in a quiet setting", "over a constant background hiss"]);

    private static OllamaOptions Options(FakeOllamaServer server, int retries = 2, TimeSpan? timeout = null, int concurrency = 2) => new()
    {
        Url = server.Url,
        Model = "tiny",
        Temperature = 0.5f,
        Seed = 7,
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        MaxRetries = retries,
        MaxConcurrency = concurrency,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
    };

    private static string Captions(params string[] captions) => FakeOllamaServer.Json(new { captions });

    [Fact]
    public async Task ValidRepliesAreParsedAndRequestsUseJsonModeSeedAndTemperature()
    {
        await using var server = new FakeOllamaServer();
        server.Enqueue(
            ScriptedReply.Generated(FakeOllamaServer.Json(new { events = new[] { "sharp clicks", "clock tick", "a soft hum" }, scenes = new[] { "in a quiet room" } })),
            ScriptedReply.Generated(Captions("A clock tick with sharp clicks in a quiet room.", "Clock ticks over a soft hum, indoors.", "A soft hum behind a clock tick.")),
            ScriptedReply.Generated(FakeOllamaServer.Json(new { caption = "A clock tick echoing in a hallway with distant footsteps." })));
        using var model = new OllamaLanguageModel(Options(server));

        var components = await model.ExtractComponentsAsync("clock_tick", "A clock tick: sharp clicks and a soft hum in a quiet room.");
        var captions = await model.ComposeCaptionsAsync("clock_tick", Pool, 3, seed: 11);
        var reflected = await model.ReflectAsync("clock_tick", captions[0], Pool, seed: 12);

        // The phrase that only restates the label is dropped from the components.
        Assert.Equal(["sharp clicks", "a soft hum"], components.Events);
        Assert.Equal(["in a quiet room"], components.Scenes);
        Assert.Equal(3, captions.Count);
        Assert.Equal("A clock tick echoing in a hallway with distant footsteps.", reflected);

        var generations = server.Requests.Where(r => r.Path == "/api/generate").ToArray();
        Assert.Equal(3, generations.Length);
        foreach (var request in generations)
        {
            var json = request.Json!;
            Assert.Equal("json", json["format"]!.GetValue<string>());
            Assert.False(json["stream"]!.GetValue<bool>());
            Assert.Equal("tiny", json["model"]!.GetValue<string>());
            Assert.Equal(0.5, json["options"]!["temperature"]!.GetValue<double>(), 3);
            Assert.NotNull(json["options"]!["seed"]);
        }

        Assert.Contains("\"clock tick\"", generations[0].Json!["prompt"]!.GetValue<string>());
        Assert.Contains("sharp clicks repeating steadily", generations[1].Json!["prompt"]!.GetValue<string>());
        Assert.Contains("Write 3 new captions", generations[1].Json!["prompt"]!.GetValue<string>());
        Assert.Contains("over a constant background hiss", generations[2].Json!["prompt"]!.GetValue<string>());
        // Different call seeds reach the server as different sampling seeds.
        Assert.NotEqual(generations[1].Json!["options"]!["seed"]!.GetValue<int>(), generations[2].Json!["options"]!["seed"]!.GetValue<int>());
    }

    [Fact]
    public async Task MalformedJsonIsRetriedAndThenSucceeds()
    {
        await using var server = new FakeOllamaServer();
        server.Enqueue(
            ScriptedReply.Generated("{\"captions\": [\"a dog barking\""),
            ScriptedReply.Generated(Captions("A dog barking twice in a yard.", "A dog growls then barks.", "Dog barking over traffic.")));
        using var model = new OllamaLanguageModel(Options(server));

        var captions = await model.ComposeCaptionsAsync("dog", Pool, 3, seed: 1);

        Assert.Equal(3, captions.Count);
        Assert.Equal(2, server.GenerationRequests);
    }

    [Fact]
    public async Task MalformedJsonEveryTimeStopsAtTheRetryLimitWithSyn2003NamingPromptAndModel()
    {
        await using var server = new FakeOllamaServer();
        server.Fallback = _ => ScriptedReply.Generated("Sure! Here are your captions: 1. a dog barking");
        using var model = new OllamaLanguageModel(Options(server, retries: 2));

        var ex = await Assert.ThrowsAsync<SynthioException>(() => model.ComposeCaptionsAsync("dog", Pool, 5, seed: 1));

        Assert.Equal(DiagnosticCodes.LanguageModelBadReply, ex.Code);
        Assert.Contains("'mixcap'", ex.Message);
        Assert.Contains("'tiny'", ex.Message);
        Assert.Contains("3 attempts", ex.Message);
        Assert.Equal(3, server.GenerationRequests);
    }

    [Fact]
    public async Task RepliesThatBreakTheSchemaAreRefused()
    {
        await using var server = new FakeOllamaServer();
        server.Fallback = _ => ScriptedReply.Generated(FakeOllamaServer.Json(new { events = "clicks", scenes = Array.Empty<string>() }));
        using var model = new OllamaLanguageModel(Options(server, retries: 1));

        var ex = await Assert.ThrowsAsync<SynthioException>(() => model.ExtractComponentsAsync("dog", "A dog barks."));

        Assert.Equal(DiagnosticCodes.LanguageModelBadReply, ex.Code);
        Assert.Contains("'extract-components'", ex.Message);
        Assert.Contains("\"events\"", ex.Message);
        Assert.Equal(2, server.GenerationRequests);
    }

    [Fact]
    public async Task CaptionsWithoutTheLabelPhraseAreRefused()
    {
        await using var server = new FakeOllamaServer();
        server.Fallback = _ => ScriptedReply.Generated(FakeOllamaServer.Json(new { caption = "Waves crash on the shore at night." }));
        using var model = new OllamaLanguageModel(Options(server, retries: 1));

        var ex = await Assert.ThrowsAsync<SynthioException>(() => model.ReflectAsync("sea_waves", "Sea waves with a low rumble.", Pool, seed: 3));

        Assert.Equal(DiagnosticCodes.LanguageModelBadReply, ex.Code);
        Assert.Contains("\"sea waves\"", ex.Message);
        Assert.Contains("'reflect'", ex.Message);
    }

    [Fact]
    public async Task Http500IsRetriedWithBackoffUntilItSucceeds()
    {
        await using var server = new FakeOllamaServer();
        server.Enqueue(
            ScriptedReply.Error(500, "out of memory"),
            ScriptedReply.Error(503, "loading"),
            ScriptedReply.Generated(FakeOllamaServer.Json(new { caption = "Rain pattering on a tin roof." })));
        using var model = new OllamaLanguageModel(Options(server, retries: 2));

        var caption = await model.ReflectAsync("rain", "Rain on leaves.", Pool, seed: 1);

        Assert.Equal("Rain pattering on a tin roof.", caption);
        Assert.Equal(3, server.GenerationRequests);
    }

    [Fact]
    public async Task Http500EveryTimeStopsAtTheRetryLimitWithSyn2006()
    {
        await using var server = new FakeOllamaServer();
        server.Fallback = _ => ScriptedReply.Error(500, "internal error");
        using var model = new OllamaLanguageModel(Options(server, retries: 3));

        var ex = await Assert.ThrowsAsync<SynthioException>(() => model.ReflectAsync("rain", "Rain on leaves.", Pool, seed: 1));

        Assert.Equal(DiagnosticCodes.OllamaServerError, ex.Code);
        Assert.Contains("HTTP 500", ex.Message);
        Assert.Contains("4 attempts", ex.Message);
        Assert.Equal(4, server.GenerationRequests);
    }

    [Fact]
    public async Task AReplySlowerThanTheTimeoutIsAbandonedAndRetried()
    {
        await using var server = new FakeOllamaServer();
        server.Enqueue(
            ScriptedReply.Generated(FakeOllamaServer.Json(new { caption = "Rain slowly." }), delay: TimeSpan.FromSeconds(20)),
            ScriptedReply.Generated(FakeOllamaServer.Json(new { caption = "Rain drumming on a car roof." })));
        // The timeout must leave the fast reply room on a loaded machine (parallel tests on two cores took over
        // 0.4 s to serve it once), while staying far below the slow reply's 20 s.
        using var model = new OllamaLanguageModel(Options(server, retries: 1, timeout: TimeSpan.FromSeconds(3)));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var caption = await model.ReflectAsync("rain", "Rain on leaves.", Pool, seed: 1);

        Assert.Equal("Rain drumming on a car roof.", caption);
        Assert.Equal(2, server.GenerationRequests);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"the slow reply was waited for ({watch.Elapsed})");
    }

    [Fact]
    public async Task RepliesAlwaysSlowerThanTheTimeoutFailWithSyn2005()
    {
        await using var server = new FakeOllamaServer();
        server.Fallback = _ => ScriptedReply.Generated(FakeOllamaServer.Json(new { caption = "Rain." }), delay: TimeSpan.FromSeconds(5));
        using var model = new OllamaLanguageModel(Options(server, retries: 1, timeout: TimeSpan.FromMilliseconds(300)));

        var ex = await Assert.ThrowsAsync<SynthioException>(() => model.ReflectAsync("rain", "Rain on leaves.", Pool, seed: 1));

        Assert.Equal(DiagnosticCodes.LanguageModelTimeout, ex.Code);
        Assert.Contains("within 0.3 s", ex.Message);
        Assert.Contains("2 attempts", ex.Message);
        Assert.Equal(2, server.GenerationRequests);
    }

    [Fact]
    public async Task AModelThatIsNotPulledFailsWithSyn2002TellingHowToPullItBeforeAnyGeneration()
    {
        await using var server = new FakeOllamaServer(("other:7b", "sha256:" + new string('b', 64)));
        using var model = new OllamaLanguageModel(Options(server));

        var ex = await Assert.ThrowsAsync<SynthioException>(() => model.ComposeCaptionsAsync("dog", Pool, 5, seed: 1));

        Assert.Equal(DiagnosticCodes.OllamaModelMissing, ex.Code);
        Assert.Contains("ollama pull tiny", ex.Message);
        Assert.Contains("other:7b", ex.Message);
        Assert.Equal(0, server.GenerationRequests);
    }

    [Fact]
    public async Task AModelRemovedAfterTheIdentityWasReadFailsWithSyn2002WithoutRetrying()
    {
        await using var server = new FakeOllamaServer();
        using var model = new OllamaLanguageModel(Options(server, retries: 3));
        await model.GetIdentityAsync();
        server.Models.Clear();

        var ex = await Assert.ThrowsAsync<SynthioException>(() => model.ComposeCaptionsAsync("dog", Pool, 5, seed: 1));

        Assert.Equal(DiagnosticCodes.OllamaModelMissing, ex.Code);
        Assert.Contains("ollama pull tiny", ex.Message);
        Assert.Equal(1, server.GenerationRequests);
    }

    [Fact]
    public async Task AnUnreachableServerFailsWithSyn2001()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var model = new OllamaLanguageModel(new OllamaOptions
        {
            Url = new Uri($"http://127.0.0.1:{port}/"),
            Model = "tiny",
            MaxRetries = 1,
            InitialBackoff = TimeSpan.FromMilliseconds(10),
        });

        var ex = await Assert.ThrowsAsync<SynthioException>(() => model.GetIdentityAsync());

        Assert.Equal(DiagnosticCodes.OllamaUnreachable, ex.Code);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
        Assert.Contains("ollama serve", ex.Message);
    }

    [Fact]
    public async Task IdentityHoldsTheServersDigestAndThePromptVersions()
    {
        var digest = "sha256:" + new string('c', 64);
        await using var server = new FakeOllamaServer(("tiny:latest", digest));
        using var first = new OllamaLanguageModel(Options(server));

        var identity = await first.GetIdentityAsync();
        Assert.Contains(digest, identity);
        Assert.Contains(PromptLibrary.Default.MixCap.Identity, identity);

        server.Models[0] = ("tiny:latest", "sha256:" + new string('d', 64));
        using var afterPull = new OllamaLanguageModel(Options(server));
        Assert.NotEqual(identity, await afterPull.GetIdentityAsync());
    }

    [Fact]
    public async Task TheCallersCancellationIsNotRetriedAsATimeout()
    {
        await using var server = new FakeOllamaServer();
        server.Fallback = _ => ScriptedReply.Generated(FakeOllamaServer.Json(new { caption = "Rain." }), delay: TimeSpan.FromSeconds(20));
        using var model = new OllamaLanguageModel(Options(server, retries: 3, timeout: TimeSpan.FromSeconds(30)));
        using var cancel = new CancellationTokenSource();

        var call = model.ReflectAsync("rain", "Rain on leaves.", Pool, seed: 1, cancel.Token);
        while (server.GenerationRequests == 0)
        {
            await Task.Delay(20);
        }

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, server.GenerationRequests);
    }

    [Fact]
    public async Task TheModelListIsReadOncePerInstance()
    {
        await using var server = new FakeOllamaServer();
        server.Fallback = _ => ScriptedReply.Generated(FakeOllamaServer.Json(new { caption = "A dog barking." }));
        using var model = new OllamaLanguageModel(Options(server));

        for (var i = 0; i < 3; i++)
        {
            await model.ReflectAsync("dog", "A dog.", Pool, seed: i);
        }

        Assert.Equal(1, server.Requests.Count(r => r.Path == "/api/tags"));
        Assert.Equal(3, server.GenerationRequests);
    }

    [Fact]
    public async Task ConcurrencyIsBoundedByMaxConcurrency()
    {
        await using var server = new FakeOllamaServer();
        server.Fallback = _ => ScriptedReply.Generated(FakeOllamaServer.Json(new { caption = "A dog barking." }), delay: TimeSpan.FromMilliseconds(150));
        using var model = new OllamaLanguageModel(Options(server, concurrency: 2));

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => model.ReflectAsync("dog", "A dog.", Pool, seed: i)));

        Assert.Equal(6, server.GenerationRequests);
        Assert.InRange(server.MaxConcurrentGenerations, 1, 2);
    }

    [Fact]
    public async Task ProbeReportsVersionAndPulledModelsOrWhyItIsUnreachable()
    {
        await using var server = new FakeOllamaServer(("tiny:latest", "sha256:" + new string('e', 64)), ("big:70b", "sha256:" + new string('f', 64)));
        var status = await OllamaProbe.ProbeAsync(server.Url, TimeSpan.FromSeconds(5));

        Assert.True(status.Reachable);
        Assert.Equal("0.12.3", status.Version);
        Assert.Equal(["big:70b", "tiny:latest"], status.Models.Select(m => m.Name));
        Assert.True(status.HasModel("tiny"));
        Assert.False(status.HasModel("missing"));

        await server.DisposeAsync();
        var down = await OllamaProbe.ProbeAsync(server.Url, TimeSpan.FromSeconds(5));
        Assert.False(down.Reachable);
        Assert.NotNull(down.Error);
    }

    [Fact]
    public void UrlResolutionPrefersTheCommandLineThenTheEnvironment()
    {
        Assert.Equal(new Uri("http://a:1/"), OllamaOptions.ResolveUrl("http://a:1", _ => "http://b:2"));
        Assert.Equal(new Uri("http://b:2/"), OllamaOptions.ResolveUrl(null, _ => "http://b:2"));
        Assert.Equal(new Uri(OllamaOptions.DefaultUrl), OllamaOptions.ResolveUrl(null, _ => null));
        var ex = Assert.Throws<SynthioException>(() => OllamaOptions.ResolveUrl("ftp://x", _ => null));
        Assert.Equal(DiagnosticCodes.BadOption, ex.Code);
    }
}

public class LanguageModelFactoryTests
{
    [Fact]
    public void OfflineIsTheDefaultAndOllamaTakesUrlAndModel()
    {
        Assert.IsType<OfflineComposer>(LanguageModelFactory.Create(null));
        Assert.IsType<OfflineComposer>(LanguageModelFactory.Create("Offline"));

        using var ollama = Assert.IsType<OllamaLanguageModel>(LanguageModelFactory.Create(
            "ollama", "http://127.0.0.1:5000", "qwen2.5:0.5b", o => o with { MaxRetries = 7 }, environment: _ => "http://ignored:1"));
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), ollama.Options.Url);
        Assert.Equal("qwen2.5:0.5b", ollama.Options.Model);
        Assert.Equal(7, ollama.Options.MaxRetries);

        using var fromEnvironment = Assert.IsType<OllamaLanguageModel>(LanguageModelFactory.Create("ollama", environment: _ => "http://10.0.0.2:11434"));
        Assert.Equal(new Uri("http://10.0.0.2:11434/"), fromEnvironment.Options.Url);
        Assert.Equal(OllamaOptions.DefaultModel, fromEnvironment.Options.Model);

        var ex = Assert.Throws<SynthioException>(() => LanguageModelFactory.Create("gpt"));
        Assert.Equal(DiagnosticCodes.BadOption, ex.Code);
    }
}
