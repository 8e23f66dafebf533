using System.Globalization;
using Synthio.Features;
using Synthio.Generation;
using Synthio.Language;
using Xunit.Abstractions;

namespace Synthio.Core.Tests;

public class DiversityTests : IClassFixture<GenerationTestMaterial>
{
    /// <summary>Captions of the kind the offline composer writes: the label plus events, scenes and acoustic words.</summary>
    internal static readonly string[] CaptionTemplates =
    [
        "{0}",
        "a distant {0} outdoors",
        "a muffled {0} in a large hall",
        "{0} repeated with faint rain in the background",
        "a {0} with traffic in the background",
        "a loud {0} close by in a small room",
        "a {0} heard twice with wind",
        "a quiet {0} in a park with birds",
        "a single {0} indoors with a humming fan",
        "several {0} sounds echoing in a tunnel",
        "a {0} with people talking in the background",
        "a faint {0} over the radio",
    ];

    private readonly GenerationTestMaterial _material;
    private readonly ITestOutputHelper _output;

    public DiversityTests(GenerationTestMaterial material, ITestOutputHelper output)
    {
        _material = material;
        _output = output;
    }

    /// <summary>Mean Euclidean distance over all pairs, on features standardised by <paramref name="scale"/>.</summary>
    internal static double MeanPairwiseDistance(IReadOnlyList<float[]> vectors, double[] scale)
    {
        double total = 0;
        var pairs = 0;
        for (var i = 0; i < vectors.Count; i++)
        {
            for (var j = i + 1; j < vectors.Count; j++)
            {
                double sum = 0;
                for (var k = 0; k < scale.Length; k++)
                {
                    var d = (vectors[i][k] - vectors[j][k]) / scale[k];
                    sum += d * d;
                }

                total += Math.Sqrt(sum);
                pairs++;
            }
        }

        return pairs == 0 ? 0 : total / pairs;
    }

    /// <summary>Per-feature standard deviation over all given vectors (floored so constant features do not dominate).</summary>
    internal static double[] FeatureScale(IEnumerable<float[]> vectors)
    {
        var all = vectors.ToArray();
        var dimension = all[0].Length;
        var scale = new double[dimension];
        for (var k = 0; k < dimension; k++)
        {
            var mean = all.Average(v => (double)v[k]);
            scale[k] = Math.Sqrt(all.Average(v => (v[k] - mean) * (v[k] - mean)));
        }

        var floor = Math.Max(1e-9, scale.Average() * 1e-3);
        return scale.Select(s => Math.Max(s, floor)).ToArray();
    }

    [Fact]
    public void GeneratedClipsOfALabelAreAtLeastAsDiverseAsItsGoldClips()
    {
        var embedder = new SpectralStatisticsEmbedder();
        var generator = new EmbeddedGenerator(_material.Training);
        var gold = _material.Labels.ToDictionary(l => l, l => _material.Training[l].Select(c => embedder.Embed(c.Audio)).ToArray());
        var scale = FeatureScale(gold.Values.SelectMany(v => v));
        var failures = new List<string>();
        foreach (var label in _material.Labels)
        {
            var generated = CaptionTemplates
                .Select((template, i) => generator.Generate(new GenerationRequest(
                    label, string.Format(CultureInfo.InvariantCulture, template, label.Replace('_', ' ')), SoundComponents.Empty, _material.ClipSeconds, 100 + i)))
                .Select(c => embedder.Embed(c.Audio))
                .ToArray();
            var goldSpread = MeanPairwiseDistance(gold[label], scale);
            var generatedSpread = MeanPairwiseDistance(generated, scale);
            _output.WriteLine($"{label,-16} gold {goldSpread:F2}  generated {generatedSpread:F2}  ({generatedSpread / goldSpread:F2}x)");
            if (generatedSpread < goldSpread)
            {
                failures.Add(label);
            }
        }

        Assert.Empty(failures);
    }
}
