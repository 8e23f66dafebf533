using System.CommandLine;
using Synthio.Language.Ollama;

namespace Synthio.Cli.Backends;

/// <summary>Which backend serves each model-backed stage (design §3), as chosen on the command line.</summary>
internal sealed record BackendOptions
{
    public static readonly Option<string> Llm = new("--llm")
    {
        Description = "Language model for prompts 1-3: offline (embedded composer) or ollama.",
        DefaultValueFactory = _ => "offline",
    };

    public static readonly Option<string?> OllamaUrl = new("--ollama-url")
    {
        Description = $"Ollama endpoint (default: ${OllamaOptions.UrlEnvironmentVariable}, else {OllamaOptions.DefaultUrl}).",
    };

    public static readonly Option<string> OllamaModel = new("--ollama-model")
    {
        Description = "Ollama model name as 'ollama list' shows it.",
        DefaultValueFactory = _ => OllamaOptions.DefaultModel,
    };

    public static readonly Option<bool> LlmFallback = new("--llm-fallback")
    {
        Description = "When Ollama is unreachable, fall back to the offline composer with a warning instead of failing.",
    };

    public static readonly Option<string> Generator = new("--generator")
    {
        Description = "Text-to-audio backend: embedded, or onnx:<bundle-dir> for an exported diffusion model.",
        DefaultValueFactory = _ => "embedded",
    };

    public static readonly Option<string> Scorer = new("--scorer")
    {
        Description = "Label-consistency scorer: embedded, or clap:<model-dir> for an ONNX CLAP export.",
        DefaultValueFactory = _ => "embedded",
    };

    public static readonly Option<string> Device = new("--device")
    {
        Description = "Where ONNX models run: auto (CUDA when it works, else CPU with a warning), cpu, or cuda[:id].",
        DefaultValueFactory = _ => "auto",
    };

    public static readonly Option<string> Embedder = new("--embedder")
    {
        Description = "Features the classifier trains on: embedded (spectral statistics) or clap:<model-dir> (CLAP audio embeddings, through the ONNX plug-in). The policy search scores with the same features; a model trained on CLAP embeddings needs them again to predict.",
        DefaultValueFactory = _ => "embedded",
    };

    public static readonly Option<double> LogitScale = new("--clap-logit-scale")
    {
        Description = "CLAP logit_scale s in the score sigmoid(exp(s) * cos); split exports carry none, so it is a setting (default ln(1/0.07), CLAP's initial value).",
        DefaultValueFactory = _ => Math.Log(1 / 0.07),
    };

    public string LanguageModel { get; init; } = "offline";

    public string? OllamaEndpoint { get; init; }

    public string OllamaModelName { get; init; } = OllamaOptions.DefaultModel;

    public bool FallbackToOffline { get; init; }

    public string GeneratorSpec { get; init; } = "embedded";

    public string ScorerSpec { get; init; } = "embedded";

    public string DeviceSpec { get; init; } = "auto";

    public double ClapLogitScale { get; init; } = Math.Log(1 / 0.07);

    public static void AddTo(Command command)
    {
        command.Options.Add(Llm);
        command.Options.Add(OllamaUrl);
        command.Options.Add(OllamaModel);
        command.Options.Add(LlmFallback);
        command.Options.Add(Generator);
        command.Options.Add(Scorer);
        command.Options.Add(Device);
        command.Options.Add(LogitScale);
        command.Options.Add(Embedder);
    }

    public static BackendOptions Read(ParseResult parse) => new()
    {
        LanguageModel = parse.GetValue(Llm) ?? "offline",
        OllamaEndpoint = parse.GetValue(OllamaUrl),
        OllamaModelName = parse.GetValue(OllamaModel) ?? OllamaOptions.DefaultModel,
        FallbackToOffline = parse.GetValue(LlmFallback),
        GeneratorSpec = parse.GetValue(Generator) ?? "embedded",
        ScorerSpec = parse.GetValue(Scorer) ?? "embedded",
        DeviceSpec = parse.GetValue(Device) ?? "auto",
        ClapLogitScale = parse.GetValue(LogitScale),
    };
}
