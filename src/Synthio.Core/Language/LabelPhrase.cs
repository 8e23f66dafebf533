using System.Text;

namespace Synthio.Language;

/// <summary>
/// The one rule that turns a dataset label into the phrase a caption must contain: underscores, hyphens and
/// dots become spaces, case is folded to lower, runs of spaces collapse (<c>sea_waves</c> → <c>sea waves</c>).
/// Every stage (prompts, composer, validation, tests) uses this rule so they agree on what "contains the
/// label" means.
/// </summary>
public static class LabelPhrase
{
    /// <summary>The phrase for <paramref name="label"/>.</summary>
    public static string Of(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var builder = new StringBuilder(label.Length);
        var pendingSpace = false;
        foreach (var c in label.Trim())
        {
            if (c is '_' or '-' or '.' || char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Whether <paramref name="text"/> contains the label phrase as whole words (case-insensitive; a plural
    /// "s"/"es" on the last word counts, so "dogs" contains "dog").
    /// </summary>
    public static bool IsContainedIn(string label, string text)
    {
        var phrase = Of(label);
        if (phrase.Length == 0)
        {
            return true;
        }

        var words = CaptionText.Words(text);
        var phraseWords = phrase.Split(' ');
        for (var start = 0; start + phraseWords.Length <= words.Count; start++)
        {
            var match = true;
            for (var k = 0; k < phraseWords.Length && match; k++)
            {
                var word = words[start + k];
                var wanted = phraseWords[k];
                match = word == wanted
                    || (k == phraseWords.Length - 1 && (word == wanted + "s" || word == wanted + "es"));
            }

            if (match)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Small text helpers shared by the language stage: word splitting and counting.</summary>
public static class CaptionText
{
    /// <summary>Lower-case words of <paramref name="text"/> (letters, digits, apostrophes; everything else separates).</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c == '\'')
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>Number of whitespace-separated words, the unit of the 25-word caption limit.</summary>
    public static int WordCount(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Canonical form of a component phrase for comparisons: lower case, single spaces, no leading article.</summary>
    public static string NormalizePhrase(string phrase)
    {
        var words = Words(phrase).ToList();
        if (words.Count > 1 && words[0] is "a" or "an" or "the" or "some")
        {
            words.RemoveAt(0);
        }

        return string.Join(' ', words);
    }
}
