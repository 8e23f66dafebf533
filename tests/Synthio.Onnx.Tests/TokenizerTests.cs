using Synthio.Diagnostics;
using Synthio.Onnx.Tests.Fixtures;
using Synthio.Onnx.Text;
using Synthio.Tests;

namespace Synthio.Onnx.Tests;

public sealed class TokenizerTests
{
    private static TextTokenizer LoadTiny(TempDirectory directory)
    {
        var path = directory.Combine("tokenizer.json");
        TinyTokenizerJson.Write(path);
        return TextTokenizer.Load(path);
    }

    [Fact]
    public void Byte_level_bpe_applies_merges_and_roberta_special_tokens()
    {
        using var directory = new TempDirectory();
        var tokenizer = LoadTiny(directory);
        var ids = tokenizer.Encode("Sound of a dog");
        int[] expected = [0, TinyTokenizerJson.Id("Sound"), TinyTokenizerJson.Id("Ġof"), TinyTokenizerJson.Id("Ġa"), TinyTokenizerJson.Id("Ġdog"), 2];
        Assert.Equal(expected.Select(i => (long)i), ids);
        Assert.Equal(1, tokenizer.PadId);
    }

    [Fact]
    public void Merge_ranks_decide_the_split()
    {
        using var directory = new TempDirectory();
        var tokenizer = LoadTiny(directory);

        // "Ġdog": "Ġ d" (rank 7) is tried before "o g" (rank 14), so the word ends as one symbol.
        // "bog" has no "Ġ" merge: b + og, since only "o g" applies.
        // Merging "o g" first would strand "Ġd" + "og", for which there is no merge.
        Assert.Equal([0L, TinyTokenizerJson.Id("Ġdog"), 2L], tokenizer.Encode(" dog"));
        Assert.Equal([0L, TinyTokenizerJson.Id("b"), TinyTokenizerJson.Id("og"), 2L], tokenizer.Encode("bog"));
    }

    [Fact]
    public void Merges_written_as_pairs_read_the_same_as_merges_written_as_strings()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("tokenizer.json");
        TinyTokenizerJson.Write(path);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        var pairs = new System.Text.Json.Nodes.JsonArray();
        foreach (var merge in TinyTokenizerJson.Merges)
        {
            var parts = merge.Split(' ');
            pairs.Add(new System.Text.Json.Nodes.JsonArray(parts[0], parts[1]));
        }

        json["model"]!["merges"] = pairs;
        File.WriteAllText(path, json.ToJsonString());
        using var plain = new TempDirectory();
        Assert.Equal(LoadTiny(plain).Encode("Sound of a dog"), TextTokenizer.Load(path).Encode("Sound of a dog"));
    }

    [Fact]
    public void Non_ascii_text_goes_through_the_byte_alphabet()
    {
        using var directory = new TempDirectory();
        var tokenizer = LoadTiny(directory);

        // "é" is UTF-8 C3 A9, mapped to the printable characters U+00C3 and U+00A9; a leading space is U+0120 "Ġ".
        var ids = tokenizer.Encode(" é");
        Assert.Equal([0L, TinyTokenizerJson.Id("Ġ"), TinyTokenizerJson.Id("Ã"), TinyTokenizerJson.Id("©"), 2L], ids);
    }

    [Fact]
    public void Batches_are_right_padded_with_the_pad_id()
    {
        using var directory = new TempDirectory();
        var tokenizer = LoadTiny(directory);
        var (ids, mask, length) = tokenizer.EncodeBatch(["Sound of a dog", "a"]);
        Assert.Equal(6, length);
        Assert.Equal([0L, TinyTokenizerJson.Id("a"), 2L, 1L, 1L, 1L], ids.Skip(6).ToArray());
        Assert.Equal([1L, 1L, 1L, 0L, 0L, 0L], mask.Skip(6).ToArray());
    }

    [Fact]
    public void Truncation_keeps_the_special_tokens()
    {
        using var directory = new TempDirectory();
        var tokenizer = LoadTiny(directory);
        var ids = tokenizer.Encode("Sound of a dog", maxLength: 4);
        Assert.Equal([0L, TinyTokenizerJson.Id("Sound"), TinyTokenizerJson.Id("Ġof"), 2L], ids);
    }

    [Fact]
    public void Unigram_tokenizer_segments_by_best_score_and_appends_eos()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("tokenizer.json");
        File.WriteAllText(path, """
        {
          "added_tokens": [{"id":0,"content":"<pad>","special":true},{"id":1,"content":"</s>","special":true},{"id":2,"content":"<unk>","special":true}],
          "post_processor": {"type":"TemplateProcessing","single":[{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"</s>","type_id":0}}],
                             "special_tokens":{"</s>":{"id":"</s>","ids":[1],"tokens":["</s>"]}}},
          "model": {"type":"Unigram","unk_id":2,"vocab":[["<pad>",0.0],["</s>",0.0],["<unk>",0.0],
                    ["\u2581",-3.0],["\u2581dog",-5.0],["\u2581do",-4.0],["g",-4.5],["\u2581bark",-6.0],["s",-2.0],["\u2581d",-3.0],["o",-3.0]]}
        }
        """);
        var tokenizer = TextTokenizer.Load(path);
        Assert.IsType<UnigramTokenizer>(tokenizer);

        // "▁dog" as one piece scores -5, better than "▁do"+"g" (-8.5) or "▁d"+"o"+"g" (-10.5).
        Assert.Equal([4L, 7L, 8L, 1L], tokenizer.Encode("dog  barks"));

        // An unknown character becomes <unk>.
        Assert.Equal([4L, 3L, 2L, 1L], tokenizer.Encode("dog x"));
    }

    [Fact]
    public void A_missing_or_broken_tokenizer_is_SYN3002()
    {
        using var directory = new TempDirectory();
        var missing = Assert.Throws<SynthioException>(() => TextTokenizer.Load(directory.Combine("tokenizer.json")));
        Assert.Equal("SYN3002", missing.Code);
        File.WriteAllText(directory.Combine("tokenizer.json"), "{\"model\":{\"type\":\"WordPiece\"}}");
        var wrong = Assert.Throws<SynthioException>(() => TextTokenizer.Load(directory.Combine("tokenizer.json")));
        Assert.Equal("SYN3002", wrong.Code);
        Assert.Contains("WordPiece", wrong.Message);
    }
}
