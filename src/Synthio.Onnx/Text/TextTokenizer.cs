using System.Text.Json;
using Synthio.Diagnostics;

namespace Synthio.Onnx.Text;

/// <summary>
/// A tokenizer read from a Hugging Face <c>tokenizer.json</c>: byte-level BPE (RoBERTa/GPT-2, as CLAP uses) or
/// Unigram (SentencePiece/T5, as Stable Audio Open's text encoder uses), with the special tokens its
/// post-processor adds.
/// </summary>
public abstract class TextTokenizer
{
    private readonly int[] _prefix;
    private readonly int[] _suffix;

    private protected TextTokenizer(int[] prefix, int[] suffix, int padId, int? maxLength)
    {
        _prefix = prefix;
        _suffix = suffix;
        PadId = padId;
        MaxLength = maxLength;
    }

    /// <summary>Id used to pad a batch to one length (RoBERTa: 1, which CLAP's text model treats as padding).</summary>
    public int PadId { get; }

    /// <summary>Longest sequence the tokenizer emits, special tokens included, when the file sets truncation.</summary>
    public int? MaxLength { get; }

    /// <summary>Token ids of <paramref name="text"/> with the post-processor's special tokens, truncated to <paramref name="maxLength"/>.</summary>
    public long[] Encode(string text, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = EncodeText(text);
        var limit = maxLength ?? MaxLength;
        var room = limit is int l ? Math.Max(0, l - _prefix.Length - _suffix.Length) : int.MaxValue;
        var count = Math.Min(room, body.Count);
        var ids = new long[_prefix.Length + count + _suffix.Length];
        var at = 0;
        foreach (var id in _prefix)
        {
            ids[at++] = id;
        }

        for (var i = 0; i < count; i++)
        {
            ids[at++] = body[i];
        }

        foreach (var id in _suffix)
        {
            ids[at++] = id;
        }

        return ids;
    }

    /// <summary>Encodes several texts and right-pads them with <see cref="PadId"/> into one <c>[batch, seq]</c> block.</summary>
    public (long[] Ids, long[] AttentionMask, int SequenceLength) EncodeBatch(IReadOnlyList<string> texts, int? maxLength = null)
    {
        var encoded = texts.Select(t => Encode(t, maxLength)).ToArray();
        var length = Math.Max(1, encoded.Length == 0 ? 1 : encoded.Max(e => e.Length));
        var ids = new long[encoded.Length * length];
        var mask = new long[encoded.Length * length];
        Array.Fill(ids, PadId);
        for (var b = 0; b < encoded.Length; b++)
        {
            encoded[b].CopyTo(ids, b * length);
            mask.AsSpan(b * length, encoded[b].Length).Fill(1);
        }

        return (ids, mask, length);
    }

    /// <summary>Ids of the text alone, without special tokens.</summary>
    protected abstract IReadOnlyList<int> EncodeText(string text);

    /// <summary>Reads <c>tokenizer.json</c>.</summary>
    /// <exception cref="SynthioException">SYN3002 when the file is missing, not JSON, or of an unsupported kind.</exception>
    public static TextTokenizer Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new SynthioException(DiagnosticCodes.ModelBundleInvalid, $"Tokenizer file not found: {path}", path);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "it has no \"model\" object");
            }

            var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
            var specials = ReadAddedTokens(root);
            var (prefix, suffix) = ReadPostProcessor(root, specials, path);
            var maxLength = root.TryGetProperty("truncation", out var truncation)
                && truncation.ValueKind == JsonValueKind.Object
                && truncation.TryGetProperty("max_length", out var max)
                    ? max.GetInt32()
                    : (int?)null;
            return type switch
            {
                "BPE" => ByteLevelBpeTokenizer.Create(root, model, specials, prefix, suffix, maxLength, path),
                "Unigram" => UnigramTokenizer.Create(root, model, specials, prefix, suffix, maxLength, path),
                _ => throw Invalid(path, $"its model type '{type}' is not BPE or Unigram"),
            };
        }
        catch (JsonException exception)
        {
            throw new SynthioException(
                DiagnosticCodes.ModelBundleInvalid, $"{path} is not valid JSON: {exception.Message}", path, exception);
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw Invalid(path, exception.Message);
        }
    }

    internal static SynthioException Invalid(string path, string reason) =>
        new(DiagnosticCodes.ModelBundleInvalid, $"Unsupported tokenizer file {path}: {reason}.", path);

    internal static int PadIdFrom(JsonElement root, IReadOnlyDictionary<string, int> specials, int fallback)
    {
        if (root.TryGetProperty("padding", out var padding) && padding.ValueKind == JsonValueKind.Object
            && padding.TryGetProperty("pad_id", out var padId))
        {
            return padId.GetInt32();
        }

        return specials.TryGetValue("<pad>", out var id) ? id : fallback;
    }

    private static Dictionary<string, int> ReadAddedTokens(JsonElement root)
    {
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                tokens[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();
            }
        }

        return tokens;
    }

    private static (int[] Prefix, int[] Suffix) ReadPostProcessor(JsonElement root, Dictionary<string, int> specials, string path)
    {
        if (!root.TryGetProperty("post_processor", out var processor) || processor.ValueKind != JsonValueKind.Object)
        {
            return ([], []);
        }

        var type = processor.GetProperty("type").GetString();
        switch (type)
        {
            case "RobertaProcessing" or "BertProcessing":
                // "cls": ["<s>", 0], "sep": ["</s>", 2]
                var cls = processor.GetProperty("cls")[1].GetInt32();
                var sep = processor.GetProperty("sep")[1].GetInt32();
                return ([cls], [sep]);
            case "TemplateProcessing":
                var prefix = new List<int>();
                var suffix = new List<int>();
                var seenSequence = false;
                foreach (var piece in processor.GetProperty("single").EnumerateArray())
                {
                    if (piece.TryGetProperty("Sequence", out _))
                    {
                        seenSequence = true;
                        continue;
                    }

                    var name = piece.GetProperty("SpecialToken").GetProperty("id").GetString()!;
                    var id = processor.TryGetProperty("special_tokens", out var table) && table.TryGetProperty(name, out var entry)
                        ? entry.GetProperty("ids")[0].GetInt32()
                        : specials.TryGetValue(name, out var known) ? known : throw Invalid(path, $"special token '{name}' has no id");
                    (seenSequence ? suffix : prefix).Add(id);
                }

                return (prefix.ToArray(), suffix.ToArray());
            case "ByteLevel":
                return ([], []);
            default:
                throw Invalid(path, $"post-processor '{type}' is not supported");
        }
    }
}
