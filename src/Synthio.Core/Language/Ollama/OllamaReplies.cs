using System.Text.Json;

namespace Synthio.Language.Ollama;

/// <summary>A reply that passed its schema (<see cref="Value"/>) or did not (<see cref="Problem"/>).</summary>
internal readonly record struct ReplyCheck<T>(T? Value, string? Problem)
{
    public bool IsValid => Problem is null;

    public static ReplyCheck<T> Valid(T value) => new(value, null);

    public static ReplyCheck<T> Invalid(string problem) => new(default, problem);
}

/// <summary>
/// The schemas of the three prompts' JSON replies, checked strictly: a reply that is not JSON, lacks a field,
/// has the wrong types, or whose captions break the label rule is refused (and retried by the caller).
/// </summary>
internal static class OllamaReplies
{
    private const int SnippetLength = 120;

    /// <summary>Prompt 1: <c>{"events": [string], "scenes": [string]}</c>; phrases that are just the label are dropped.</summary>
    public static ReplyCheck<SoundComponents> ParseComponents(string reply, string label)
    {
        if (!TryParseObject(reply, out var root, out var problem))
        {
            return ReplyCheck<SoundComponents>.Invalid(problem);
        }

        using (root)
        {
            if (!TryStringArray(root!.RootElement, "events", out var events, out problem)
                || !TryStringArray(root.RootElement, "scenes", out var scenes, out problem))
            {
                return ReplyCheck<SoundComponents>.Invalid(problem);
            }

            var phrase = LabelPhrase.Of(label);
            bool Keep(string p) => p.Length > 0 && CaptionText.NormalizePhrase(p) != phrase;
            return ReplyCheck<SoundComponents>.Valid(new SoundComponents(
                events.Where(Keep).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
                scenes.Where(Keep).Distinct(StringComparer.OrdinalIgnoreCase).ToArray()));
        }
    }

    /// <summary>
    /// Prompt 2: <c>{"captions": [string]}</c>. Captions without the label phrase or over 25 words are dropped;
    /// the reply is refused when fewer than half of <paramref name="count"/> remain.
    /// </summary>
    public static ReplyCheck<IReadOnlyList<string>> ParseCaptions(string reply, string label, int count)
    {
        if (!TryParseObject(reply, out var root, out var problem))
        {
            return ReplyCheck<IReadOnlyList<string>>.Invalid(problem);
        }

        using (root)
        {
            if (!TryStringArray(root!.RootElement, "captions", out var captions, out problem))
            {
                return ReplyCheck<IReadOnlyList<string>>.Invalid(problem);
            }

            var valid = captions
                .Where(c => c.Length > 0 && CaptionText.WordCount(c) <= OfflineComposer.MaxWords && LabelPhrase.IsContainedIn(label, c))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Take(count)
                .ToArray();
            var needed = (count + 1) / 2;
            if (valid.Length < needed)
            {
                return ReplyCheck<IReadOnlyList<string>>.Invalid(
                    $"only {valid.Length} of {captions.Count} captions contain \"{LabelPhrase.Of(label)}\" within {OfflineComposer.MaxWords} words (need {needed})");
            }

            return ReplyCheck<IReadOnlyList<string>>.Valid(valid);
        }
    }

    /// <summary>Prompt 3: <c>{"caption": string}</c> containing the label phrase, at most 25 words.</summary>
    public static ReplyCheck<string> ParseCaption(string reply, string label)
    {
        if (!TryParseObject(reply, out var root, out var problem))
        {
            return ReplyCheck<string>.Invalid(problem);
        }

        using (root)
        {
            if (!root!.RootElement.TryGetProperty("caption", out var value) || value.ValueKind != JsonValueKind.String)
            {
                return ReplyCheck<string>.Invalid($"no string field \"caption\" in {Snippet(reply)}");
            }

            var caption = value.GetString()!.Trim();
            if (caption.Length == 0 || !LabelPhrase.IsContainedIn(label, caption))
            {
                return ReplyCheck<string>.Invalid($"caption does not contain \"{LabelPhrase.Of(label)}\": {Snippet(caption)}");
            }

            if (CaptionText.WordCount(caption) > OfflineComposer.MaxWords)
            {
                return ReplyCheck<string>.Invalid($"caption has more than {OfflineComposer.MaxWords} words: {Snippet(caption)}");
            }

            return ReplyCheck<string>.Valid(caption);
        }
    }

    private static bool TryParseObject(string reply, out JsonDocument? document, out string problem)
    {
        document = null;
        problem = string.Empty;
        var text = StripFence(reply);
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            problem = $"reply is not JSON: {Snippet(reply)}";
            return false;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            document = null;
            problem = $"reply is not a JSON object: {Snippet(reply)}";
            return false;
        }

        return true;
    }

    private static bool TryStringArray(JsonElement root, string name, out List<string> values, out string problem)
    {
        values = new List<string>();
        problem = string.Empty;
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            problem = $"no array field \"{name}\" in {Snippet(root.GetRawText())}";
            return false;
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                problem = $"\"{name}\" holds a {item.ValueKind} where strings were expected";
                return false;
            }

            values.Add(item.GetString()!.Trim());
        }

        return true;
    }

    /// <summary>Some models wrap JSON in a Markdown fence even in JSON mode; the content is what counts.</summary>
    private static string StripFence(string reply)
    {
        var text = reply.Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = text.IndexOf('\n');
            var lastFence = text.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLine > 0 && lastFence > firstLine)
            {
                return text[(firstLine + 1)..lastFence].Trim();
            }
        }

        return text;
    }

    private static string Snippet(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= SnippetLength ? $"'{flat}'" : $"'{flat[..SnippetLength]}…'";
    }
}
