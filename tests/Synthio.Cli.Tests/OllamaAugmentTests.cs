using System.Text.Json;
using System.Text.RegularExpressions;
using Synthio.Core.Tests.Ollama;
using Synthio.Tests;

namespace Synthio.Cli.Tests;

/// <summary><c>augment --llm ollama</c> against a real HTTP server on loopback that speaks the Ollama API.</summary>
public sealed class OllamaAugmentTests
{
    [Fact]
    public async Task AugmentUsesTheServerAndASecondRunAsksItNothing()
    {
        await using var server = new FakeOllamaServer(("tiny:latest", "sha256:" + new string('a', 64)));
        var counter = 0;
        server.Fallback = request => ScriptedReply.Generated(Answer(request, Interlocked.Increment(ref counter)));
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        string[] Arguments(string output) => new[]
        {
            "augment", data, "--out", temp.Combine(output), "--multiplier", "2", "--cache-dir", temp.Combine("cache"),
            "--llm", "ollama", "--ollama-url", server.Url.ToString(), "--ollama-model", "tiny",
        };

        var first = CliRunner.Run(temp.Path, Arguments("out1"));
        Assert.True(first.ExitCode == 0, first.All);
        var askedFirst = server.GenerationRequests;
        Assert.True(askedFirst > 0);
        var manifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("out1", "manifest.json"))).RootElement;
        var captions = manifest.GetProperty("clips").EnumerateArray()
            .Where(c => c.GetProperty("origin").GetString() == "synthetic")
            .Select(c => c.GetProperty("caption").GetString()!)
            .ToList();
        Assert.NotEmpty(captions);
        Assert.All(captions, c => Assert.Contains("from the server", c));
        Assert.Contains("tiny:latest", manifest.GetProperty("settings").GetProperty("languageModel").GetString());

        var second = CliRunner.Run(temp.Path, Arguments("out2"));
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Equal(askedFirst, server.GenerationRequests);
    }

    [Fact]
    public void UnreachableServerFailsWithItsCode()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var result = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out"), "--cache-dir", temp.Combine("cache"), "--llm", "ollama", "--ollama-url", "http://127.0.0.1:9", "--ollama-model", "tiny");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("SYN2001", result.Error);
    }

    [Fact]
    public void FallbackToTheOfflineComposerOnlyWhenAskedAndWithAWarning()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var result = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out"), "--multiplier", "1", "--cache-dir", temp.Combine("cache"), "--llm", "ollama", "--ollama-url", "http://127.0.0.1:9", "--llm-fallback");
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("warning SYN2004", result.Error);
    }

    // Answers each of the three prompts in the JSON shape it asks for, naming the label it was asked about.
    private static string Answer(RecordedRequest request, int n)
    {
        var prompt = request.Json?["prompt"]?.GetValue<string>() ?? string.Empty;
        if (prompt.Contains("{\"events\": [", StringComparison.Ordinal))
        {
            return FakeOllamaServer.Json(new { events = new[] { "a soft click" }, scenes = new[] { "a small room" } });
        }

        if (prompt.Contains("{\"captions\": [", StringComparison.Ordinal))
        {
            var label = Regex.Match(prompt, "recordings of \"([^\"]+)\"").Groups[1].Value;
            var count = int.Parse(Regex.Match(prompt, @"Write (\d+) new captions").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return FakeOllamaServer.Json(new { captions = Enumerable.Range(0, count).Select(k => $"{label} hum with click {n}-{k} from the server").ToArray() });
        }

        var reflected = Regex.Match(prompt, "contains the exact phrase \"([^\"]+)\"").Groups[1].Value;
        return FakeOllamaServer.Json(new { caption = $"{reflected} tone with rattle {n} from the server" });
    }
}
