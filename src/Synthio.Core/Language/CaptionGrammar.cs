using System.Text.RegularExpressions;
using Synthio.Captioning;

namespace Synthio.Language;

/// <summary>
/// Splits a caption into its sound events and scenes without a language model (prompt 1, offline): clauses are
/// cut at punctuation and connectives ("and", "with", "while", "as", "followed by" …), phrases that restate the
/// label or only glue the sentence together are dropped, and a clause that opens with a place preposition
/// ("in", "over", "amid" …) is a scene. It reads the descriptor captioner's sentences and the offline
/// composer's own frames exactly, and ordinary human captions reasonably.
/// </summary>
public static partial class CaptionGrammar
{
    private static readonly string[] LabelFramings = new[]
    {
        "the sound of", "the sounds of", "sound of", "sounds of", "a recording of", "recording of",
        "close recording of", "a clip of", "audio of", "field recording of", "a close recording of",
    }
        .OrderByDescending(f => f.Length)
        .ToArray();

    private static readonly HashSet<string> GlueWords = new(StringComparer.Ordinal)
    {
        "making", "makes", "make", "producing", "produces", "heard", "hear", "is", "are", "was", "plays", "playing",
        "can", "be", "there", "comes", "come", "coming", "then", "by", "that", "which", "of", "recorded",
        "captured", "together", "continues", "continue", "continuing", "goes", "go", "on", "joining", "joins",
        "in", "from", "amid", "over", "against", "the", "a", "an", "its", "their", "some", "sound", "sounds",
        "gives", "give", "off", "out", "layered", "under", "behind", "beside", "near", "at", "to",
    };

    /// <summary>
    /// Events and scenes of <paramref name="caption"/>, lower-case, de-duplicated, in order of appearance;
    /// phrases that merely restate <paramref name="label"/> are left out, as are duration remarks.
    /// </summary>
    public static SoundComponents Parse(string label, string caption)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(caption);
        var labelWords = LabelPhrase.Of(label).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var events = new List<string>();
        var scenes = new List<string>();
        foreach (var raw in ClauseSeparator().Split(caption.ToLowerInvariant()))
        {
            var fragment = Collapse(raw);
            if (fragment.Length == 0 || fragment.StartsWith("lasting", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var framing in LabelFramings)
            {
                fragment = fragment.Replace(framing + " ", " ", StringComparison.Ordinal);
            }

            fragment = RemoveLabel(Collapse(fragment), labelWords);
            var isScene = AcousticVocabulary.ScenePrefixes.Any(p => fragment.StartsWith(p, StringComparison.Ordinal))
                || fragment is "outdoors" or "indoors" or "far away";
            fragment = TrimGlue(fragment, keepLeadingPreposition: isScene);
            if (fragment.Length == 0 || IsOnlyGlue(fragment))
            {
                continue;
            }

            var target = isScene ? scenes : events;
            if (!target.Contains(fragment))
            {
                target.Add(fragment);
            }
        }

        return new SoundComponents(events, scenes);
    }

    /// <summary>Removes whole-word occurrences of the label phrase (and its plural) from a fragment.</summary>
    private static string RemoveLabel(string fragment, string[] labelWords)
    {
        if (labelWords.Length == 0)
        {
            return fragment;
        }

        var words = fragment.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        for (var i = 0; i + labelWords.Length <= words.Count; i++)
        {
            var match = true;
            for (var k = 0; k < labelWords.Length && match; k++)
            {
                var w = words[i + k].Trim('\'', '"');
                var wanted = labelWords[k];
                match = w == wanted || (k == labelWords.Length - 1 && (w == wanted + "s" || w == wanted + "es" || w == wanted + "'s"));
            }

            if (match)
            {
                words.RemoveRange(i, labelWords.Length);
                i--;
            }
        }

        return string.Join(' ', words);
    }

    private static string TrimGlue(string fragment, bool keepLeadingPreposition)
    {
        var words = fragment.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        // A scene keeps its opening preposition ("in a quiet setting"); an event loses leading glue
        // ("producing a low rumble") but keeps its article.
        if (!keepLeadingPreposition)
        {
            while (words.Count > 1 && GlueWords.Contains(words[0]) && words[0] is not ("a" or "an" or "the"))
            {
                words.RemoveAt(0);
            }
        }

        while (words.Count > 0 && GlueWords.Contains(words[^1]))
        {
            words.RemoveAt(words.Count - 1);
        }

        return string.Join(' ', words).Trim('\'', '"', ' ');
    }

    private static bool IsOnlyGlue(string fragment) =>
        fragment.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(GlueWords.Contains);

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim(' ', '\'', '"', '-');

    [GeneratedRegex(@"[,;:!?()]|\.(?!\d)|\b(?:and|with|while|as|then|followed by|mixed with|alongside|plus|joined by)\b")]
    private static partial Regex ClauseSeparator();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
