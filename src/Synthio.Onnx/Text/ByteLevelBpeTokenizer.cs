using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Synthio.Onnx.Text;

/// <summary>
/// GPT-2/RoBERTa byte-level BPE: split with the GPT-2 pattern, map each UTF-8 byte to a printable character,
/// then apply merges in rank order. This is how CLAP's RoBERTa text tower tokenizes.
/// </summary>
public sealed partial class ByteLevelBpeTokenizer : TextTokenizer
{
    private static readonly string[] ByteToChar = BuildByteToUnicode();

    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<(string, string), int> _mergeRanks;
    private readonly bool _addPrefixSpace;
    private readonly int? _unknownId;
    private readonly ConcurrentDictionary<string, int[]> _wordCache = new(StringComparer.Ordinal);

    private ByteLevelBpeTokenizer(
        Dictionary<string, int> vocabulary,
        Dictionary<(string, string), int> mergeRanks,
        bool addPrefixSpace,
        int? unknownId,
        int[] prefix,
        int[] suffix,
        int padId,
        int? maxLength)
        : base(prefix, suffix, padId, maxLength)
    {
        _vocabulary = vocabulary;
        _mergeRanks = mergeRanks;
        _addPrefixSpace = addPrefixSpace;
        _unknownId = unknownId;
    }

    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Gpt2Pattern();

    internal static ByteLevelBpeTokenizer Create(
        JsonElement root, JsonElement model, IReadOnlyDictionary<string, int> specials, int[] prefix, int[] suffix, int? maxLength, string path)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in model.GetProperty("vocab").EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.GetInt32();
        }

        var ranks = new Dictionary<(string, string), int>();
        var rank = 0;
        foreach (var merge in model.GetProperty("merges").EnumerateArray())
        {
            // Older files write "a b", newer ones ["a", "b"].
            (string, string) pair;
            if (merge.ValueKind == JsonValueKind.Array)
            {
                pair = (merge[0].GetString()!, merge[1].GetString()!);
            }
            else
            {
                var text = merge.GetString()!;
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                if (space <= 0)
                {
                    throw TextTokenizer.Invalid(path, $"merge '{text}' is not two symbols");
                }

                pair = (text[..space], text[(space + 1)..]);
            }

            ranks.TryAdd(pair, rank++);
        }

        var addPrefixSpace = root.TryGetProperty("pre_tokenizer", out var pre) && pre.ValueKind == JsonValueKind.Object
            && pre.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.True;
        int? unknownId = model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String
            && vocabulary.TryGetValue(unk.GetString()!, out var unkId)
                ? unkId
                : null;
        var padId = PadIdFrom(root, specials, fallback: vocabulary.GetValueOrDefault("<pad>", 0));
        return new ByteLevelBpeTokenizer(vocabulary, ranks, addPrefixSpace, unknownId, prefix, suffix, padId, maxLength);
    }

    protected override IReadOnlyList<int> EncodeText(string text)
    {
        if (_addPrefixSpace && text.Length > 0 && text[0] != ' ')
        {
            text = " " + text;
        }

        var ids = new List<int>();
        foreach (Match match in Gpt2Pattern().Matches(text))
        {
            ids.AddRange(_wordCache.GetOrAdd(match.Value, EncodeWord));
        }

        return ids;
    }

    private int[] EncodeWord(string word)
    {
        var bytes = Encoding.UTF8.GetBytes(word);
        var symbols = new List<string>(bytes.Length);
        foreach (var b in bytes)
        {
            symbols.Add(ByteToChar[b]);
        }

        while (symbols.Count > 1)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 0; i < symbols.Count - 1; i++)
            {
                if (_mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var r) && r < bestRank)
                {
                    bestRank = r;
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            // Merge every occurrence of the best pair, left to right, as the reference implementation does.
            var (left, right) = (symbols[best], symbols[best + 1]);
            var next = new List<string>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i < symbols.Count - 1 && symbols[i] == left && symbols[i + 1] == right)
                {
                    next.Add(left + right);
                    i++;
                }
                else
                {
                    next.Add(symbols[i]);
                }
            }

            symbols = next;
        }

        var ids = new List<int>(symbols.Count);
        foreach (var symbol in symbols)
        {
            if (_vocabulary.TryGetValue(symbol, out var id))
            {
                ids.Add(id);
            }
            else if (_unknownId is int unknown)
            {
                ids.Add(unknown);
            }
            else
            {
                // A byte-level vocabulary holds every single byte, so only a truncated file gets here.
                throw new InvalidOperationException($"symbol '{symbol}' is not in the vocabulary");
            }
        }

        return ids.ToArray();
    }

    /// <summary>GPT-2's reversible map from bytes to printable characters (bytes that are not printable shift to 256+).</summary>
    private static string[] BuildByteToUnicode()
    {
        var map = new string[256];
        var printable = new List<int>();
        for (var b = '!'; b <= '~'; b++)
        {
            printable.Add(b);
        }

        for (var b = 0xA1; b <= 0xAC; b++)
        {
            printable.Add(b);
        }

        for (var b = 0xAE; b <= 0xFF; b++)
        {
            printable.Add(b);
        }

        var shifted = 0;
        for (var b = 0; b < 256; b++)
        {
            map[b] = printable.Contains(b) ? ((char)b).ToString() : ((char)(256 + shifted++)).ToString();
        }

        return map;
    }
}
