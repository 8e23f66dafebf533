using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Synthio.Onnx.Text;

/// <summary>
/// SentencePiece Unigram (as T5 uses): whitespace-split words marked with "▁", each segmented by Viterbi over
/// the vocabulary's log-probabilities. The file's precompiled normaliser is approximated by NFKC plus
/// whitespace collapsing, which agrees with it on ordinary prompt text.
/// </summary>
public sealed partial class UnigramTokenizer : TextTokenizer
{
    private const string WordBoundary = "\u2581";

    private readonly Dictionary<string, (int Id, double Score)> _pieces;
    private readonly int _unknownId;
    private readonly double _unknownScore;
    private readonly int _longestPiece;

    private UnigramTokenizer(
        Dictionary<string, (int Id, double Score)> pieces, int unknownId, int[] prefix, int[] suffix, int padId, int? maxLength)
        : base(prefix, suffix, padId, maxLength)
    {
        _pieces = pieces;
        _unknownId = unknownId;
        _unknownScore = pieces.Count == 0 ? -10 : pieces.Values.Min(p => p.Score) - 10;
        _longestPiece = pieces.Count == 0 ? 1 : pieces.Keys.Max(k => k.Length);
    }

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    internal static UnigramTokenizer Create(
        JsonElement root, JsonElement model, IReadOnlyDictionary<string, int> specials, int[] prefix, int[] suffix, int? maxLength, string path)
    {
        var pieces = new Dictionary<string, (int Id, double Score)>(StringComparer.Ordinal);
        var id = 0;
        foreach (var entry in model.GetProperty("vocab").EnumerateArray())
        {
            pieces.TryAdd(entry[0].GetString()!, (id, entry[1].GetDouble()));
            id++;
        }

        var unknownId = model.TryGetProperty("unk_id", out var unk) && unk.ValueKind == JsonValueKind.Number
            ? unk.GetInt32()
            : throw Invalid(path, "the Unigram model has no unk_id");
        var padId = PadIdFrom(root, specials, fallback: 0);
        return new UnigramTokenizer(pieces, unknownId, prefix, suffix, padId, maxLength);
    }

    protected override IReadOnlyList<int> EncodeText(string text)
    {
        var normalized = Whitespace().Replace(text.Normalize(NormalizationForm.FormKC), " ").Trim();
        var ids = new List<int>();
        if (normalized.Length == 0)
        {
            return ids;
        }

        foreach (var word in normalized.Split(' '))
        {
            Segment(WordBoundary + word, ids);
        }

        return ids;
    }

    private void Segment(string word, List<int> ids)
    {
        var best = new double[word.Length + 1];
        var from = new int[word.Length + 1];
        var pieceId = new int[word.Length + 1];
        Array.Fill(best, double.NegativeInfinity);
        best[0] = 0;
        for (var end = 1; end <= word.Length; end++)
        {
            for (var start = Math.Max(0, end - _longestPiece); start < end; start++)
            {
                if (double.IsNegativeInfinity(best[start]))
                {
                    continue;
                }

                if (_pieces.TryGetValue(word[start..end], out var piece) && best[start] + piece.Score > best[end])
                {
                    best[end] = best[start] + piece.Score;
                    from[end] = start;
                    pieceId[end] = piece.Id;
                }
            }

            // An unknown single character keeps the lattice connected, at a penalty below every real piece.
            if (!double.IsNegativeInfinity(best[end - 1]) && best[end - 1] + _unknownScore > best[end])
            {
                best[end] = best[end - 1] + _unknownScore;
                from[end] = end - 1;
                pieceId[end] = _unknownId;
            }
        }

        var path = new List<int>();
        for (var at = word.Length; at > 0; at = from[at])
        {
            path.Add(pieceId[at]);
        }

        path.Reverse();
        for (var i = 0; i < path.Count; i++)
        {
            // SentencePiece fuses runs of unknown characters into one unknown token.
            if (path[i] == _unknownId && ids.Count > 0 && ids[^1] == _unknownId && i > 0)
            {
                continue;
            }

            ids.Add(path[i]);
        }
    }
}
