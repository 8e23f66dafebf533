using System.Reflection;
using System.Text.RegularExpressions;
using Synthio.Diagnostics;
using Synthio.Tests;

namespace Synthio.Core.Tests;

public class DiagnosticCodeTests
{
    private static IReadOnlyList<string> Declared() =>
        typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

    [Fact]
    public void EveryCodeIsUniqueAndWellFormed()
    {
        var codes = Declared();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^SYN[0-9]{4}$", c));
    }

    [Fact]
    public void DocumentationListsExactlyTheDeclaredCodes()
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "diagnostics.md"));
        var documented = Regex.Matches(doc, @"^\| (SYN[0-9]{4}) \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(Declared().Order(), documented.Order());
    }
}
