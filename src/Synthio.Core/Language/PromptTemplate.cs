using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Synthio.Language;

/// <summary>
/// One versioned prompt: a header (<c># prompt: name</c>, <c># version: n</c>), a <c>---</c> line, then the
/// body with <c>{{placeholder}}</c> slots. <see cref="Hash"/> covers the whole file text, so editing a
/// prompt without bumping its version still changes every cache key that depends on it.
/// </summary>
public sealed partial class PromptTemplate
{
    private PromptTemplate(string name, int version, string body, string hash)
    {
        Name = name;
        Version = version;
        Body = body;
        Hash = hash;
    }

    /// <summary>The prompt's name from its header, e.g. <c>mixcap</c>.</summary>
    public string Name { get; }

    /// <summary>The version from its header; bumped whenever the wording changes on purpose.</summary>
    public int Version { get; }

    /// <summary>The text after the header, with placeholders unfilled.</summary>
    public string Body { get; }

    /// <summary>Lower-case hex SHA-256 of the full template text (line endings normalised to LF).</summary>
    public string Hash { get; }

    /// <summary><c>name@version#hash12</c>: what goes into identities and cache keys.</summary>
    public string Identity => $"{Name}@{Version}#{Hash[..12]}";

    /// <summary>Parses a template file's text.</summary>
    /// <exception cref="FormatException">The header is missing its name, version or <c>---</c> separator.</exception>
    public static PromptTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var separator = normalized.IndexOf("\n---\n", StringComparison.Ordinal);
        if (separator < 0)
        {
            throw new FormatException("prompt template has no '---' line between header and body");
        }

        string? name = null;
        int? version = null;
        foreach (var line in normalized[..separator].Split('\n'))
        {
            var match = HeaderLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var value = match.Groups[2].Value.Trim();
            switch (match.Groups[1].Value)
            {
                case "prompt":
                    name = value;
                    break;
                case "version" when int.TryParse(value, out var v):
                    version = v;
                    break;
            }
        }

        if (name is null || version is null)
        {
            throw new FormatException("prompt template header needs '# prompt: <name>' and '# version: <number>'");
        }

        var body = normalized[(separator + 5)..].TrimEnd('\n') + "\n";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
        return new PromptTemplate(name, version.Value, body, hash);
    }

    /// <summary>
    /// Fills every <c>{{name}}</c> slot. A slot without a value, or a value without a slot, is a programming
    /// error and throws, so a template edit cannot silently drop an input.
    /// </summary>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = Placeholder().Replace(Body, match =>
        {
            var key = match.Groups[1].Value;
            if (!values.TryGetValue(key, out var value))
            {
                throw new KeyNotFoundException($"prompt '{Name}' needs a value for '{{{{{key}}}}}'");
            }

            used.Add(key);
            return value;
        });

        var unused = values.Keys.Where(k => !used.Contains(k)).ToArray();
        if (unused.Length > 0)
        {
            throw new ArgumentException($"prompt '{Name}' has no slot for: {string.Join(", ", unused)}", nameof(values));
        }

        return result;
    }

    [GeneratedRegex(@"^#\s*(prompt|version|placeholders)\s*:\s*(.*)$")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}")]
    private static partial Regex Placeholder();
}

/// <summary>
/// The three Synthio prompts (design §2): extract components, MixCap, reflection. <see cref="Default"/> reads
/// the versions embedded in this assembly; <see cref="FromDirectory"/> lets a user (or a test) supply edited ones.
/// </summary>
public sealed class PromptLibrary
{
    /// <summary>File (and resource) names of the three templates.</summary>
    public const string ExtractFile = "extract-components.txt";

    /// <inheritdoc cref="ExtractFile"/>
    public const string MixCapFile = "mixcap.txt";

    /// <inheritdoc cref="ExtractFile"/>
    public const string ReflectFile = "reflect.txt";

    private static readonly Lazy<PromptLibrary> Embedded = new(() => new PromptLibrary(
        LoadResource(ExtractFile), LoadResource(MixCapFile), LoadResource(ReflectFile)));

    public PromptLibrary(PromptTemplate extract, PromptTemplate mixCap, PromptTemplate reflect)
    {
        Extract = extract ?? throw new ArgumentNullException(nameof(extract));
        MixCap = mixCap ?? throw new ArgumentNullException(nameof(mixCap));
        Reflect = reflect ?? throw new ArgumentNullException(nameof(reflect));
    }

    /// <summary>The prompts shipped with Synthio.</summary>
    public static PromptLibrary Default => Embedded.Value;

    /// <summary>Prompt 1: events and scenes of one caption.</summary>
    public PromptTemplate Extract { get; }

    /// <summary>Prompt 2: MixCap.</summary>
    public PromptTemplate MixCap { get; }

    /// <summary>Prompt 3: self-reflection.</summary>
    public PromptTemplate Reflect { get; }

    /// <summary>The three template identities joined: part of every language-model cache key.</summary>
    public string Identity => $"{Extract.Identity};{MixCap.Identity};{Reflect.Identity}";

    /// <summary>Reads the three template files from <paramref name="directory"/>; a missing file falls back to the embedded one.</summary>
    public static PromptLibrary FromDirectory(string directory)
    {
        PromptTemplate Load(string file, PromptTemplate fallback)
        {
            var path = Path.Combine(directory, file);
            return File.Exists(path) ? PromptTemplate.Parse(File.ReadAllText(path)) : fallback;
        }

        var defaults = Default;
        return new PromptLibrary(
            Load(ExtractFile, defaults.Extract),
            Load(MixCapFile, defaults.MixCap),
            Load(ReflectFile, defaults.Reflect));
    }

    private static PromptTemplate LoadResource(string file)
    {
        var name = "Synthio.Prompts." + file;
        using var stream = typeof(PromptLibrary).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded prompt '{name}' is missing from {typeof(PromptLibrary).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return PromptTemplate.Parse(reader.ReadToEnd());
    }
}
