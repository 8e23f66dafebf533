using Synthio.Audio;
using Synthio.Training;

namespace Synthio.Core.Tests;

/// <summary>Small, seeded data sets for the training tests.</summary>
internal static class TrainingToyData
{
    /// <summary>Gaussian clusters, one per label, with <paramref name="perLabel"/> gold examples and optional synthetic children.</summary>
    public static List<TrainingExample> Clusters(int labels, int perLabel, int dimension, int childrenPerGold, int seed, double spread = 0.6)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, labels).Select(_ => Enumerable.Range(0, dimension).Select(_ => (random.NextDouble() * 4) - 2).ToArray()).ToArray();
        var data = new List<TrainingExample>();
        for (var l = 0; l < labels; l++)
        {
            for (var i = 0; i < perLabel; i++)
            {
                var id = $"gold/{l}/{i}";
                data.Add(TrainingExample.Gold(Sample(centres[l], spread, random), $"label{l}", id));
                for (var c = 0; c < childrenPerGold; c++)
                {
                    data.Add(new TrainingExample(Sample(centres[l], spread, random), $"label{l}", $"{id}/child{c}", new[] { id }, true));
                }
            }
        }

        return data;
    }

    private static float[] Sample(double[] centre, double spread, Random random) =>
        centre.Select(c => (float)(c + (spread * Normal(random)))).ToArray();

    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Writes a short sine tone with a little seeded noise as 16 kHz 16-bit WAV.</summary>
    public static string WriteTone(string path, double frequency, int seed, double seconds = 0.5, int sampleRate = 16000)
    {
        var random = new Random(seed);
        var samples = new float[(int)(seconds * sampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)((0.5 * Math.Sin(2 * Math.PI * frequency * i / sampleRate)) + (0.02 * (random.NextDouble() - 0.5)));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WavFile.WriteMono(path, new AudioBuffer(samples, sampleRate));
        return path;
    }
}
