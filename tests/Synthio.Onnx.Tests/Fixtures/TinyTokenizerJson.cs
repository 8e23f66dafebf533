using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synthio.Onnx.Tests.Fixtures;

/// <summary>
/// A small RoBERTa-style byte-level BPE tokenizer.json: the special tokens at RoBERTa's ids (0 &lt;s&gt;, 1 &lt;pad&gt;,
/// 2 &lt;/s&gt;, 3 &lt;unk&gt;), all 256 byte symbols, and a few merges spelling the words the tests use.
/// </summary>
internal static class TinyTokenizerJson
{
    public static readonly string[] Merges =
    [
        "S o", "So u", "Sou n", "Soun d",
        "Ġ o", "Ġo f",
        "Ġ a",
        "Ġ d", "Ġd o", "Ġdo g",
        "Ġ r", "Ġr a", "Ġra i", "Ġrai n",
        "o g",
    ];

    /// <summary>Every symbol in id order (ids 0..3 special, then the byte alphabet, then merge results).</summary>
    public static IReadOnlyList<string> Vocabulary { get; } = BuildVocabulary();

    public static int Id(string symbol) => Vocabulary.ToList().IndexOf(symbol) is var i and >= 0 ? i : throw new KeyNotFoundException(symbol);

    public static void Write(string path)
    {
        var vocab = new JsonObject();
        for (var i = 0; i < Vocabulary.Count; i++)
        {
            vocab[Vocabulary[i]] = i;
        }

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(
                Special(0, "<s>"), Special(1, "<pad>"), Special(2, "</s>"), Special(3, "<unk>")),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "RobertaProcessing",
                ["sep"] = new JsonArray("</s>", 2),
                ["cls"] = new JsonArray("<s>", 0),
                ["trim_offsets"] = true,
                ["add_prefix_space"] = false,
            },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(Merges.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
            },
        };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }

    private static JsonObject Special(int id, string content) =>
        new() { ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true };

    private static List<string> BuildVocabulary()
    {
        var symbols = new List<string> { "<s>", "<pad>", "</s>", "<unk>" };
        symbols.AddRange(ByteAlphabet());
        foreach (var merge in Merges)
        {
            var merged = merge.Replace(" ", string.Empty, StringComparison.Ordinal);
            if (!symbols.Contains(merged))
            {
                symbols.Add(merged);
            }
        }

        return symbols;
    }

    /// <summary>GPT-2's byte-to-character table, written out from its published definition.</summary>
    public static IEnumerable<string> ByteAlphabet()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range(0xA1, 0xAC - 0xA1 + 1)).Concat(Enumerable.Range(0xAE, 0xFF - 0xAE + 1)).ToHashSet();
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            yield return printable.Contains(b) ? ((char)b).ToString() : ((char)next++).ToString();
        }
    }
}
