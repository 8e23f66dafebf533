using Synthio.Audio;
using Synthio.Tests;

namespace Synthio.Cli.Tests;

/// <summary>Runs the built <c>dotnet-synthio</c> as a child process, as a user or the build would.</summary>
internal static class CliRunner
{
    public static string CliPath => Path.Combine(AppContext.BaseDirectory, "dotnet-synthio.dll");

    public static ProcessResult Run(string workingDirectory, params string[] arguments) =>
        ProcessRunner.Run(ProcessRunner.DotnetHost, new[] { CliPath }.Concat(arguments), workingDirectory, new Dictionary<string, string?> { ["CI"] = "true" }, TimeSpan.FromMinutes(5));

    /// <summary>Writes a small labelled dataset of tones and noise bursts: distinct enough to learn from.</summary>
    public static string WriteToneDataset(string root, int clipsPerLabel = 3)
    {
        var labels = new (string Name, double Frequency)[] { ("low", 220), ("high", 1760) };
        foreach (var (name, frequency) in labels)
        {
            Directory.CreateDirectory(Path.Combine(root, name));
            for (var k = 0; k < clipsPerLabel; k++)
            {
                var rate = 16000;
                var samples = new float[rate / 2];
                var rng = new Random(k * 31 + (int)frequency);
                for (var i = 0; i < samples.Length; i++)
                {
                    var envelope = Math.Min(1.0, i / 400.0) * Math.Exp(-i / (rate * 0.3));
                    samples[i] = (float)((0.5 * envelope * Math.Sin(2 * Math.PI * frequency * (1 + (0.02 * k)) * i / rate)) + (0.01 * (rng.NextDouble() - 0.5)));
                }

                WavFile.WriteMono(Path.Combine(root, name, $"{name}-{k}.wav"), new AudioBuffer(samples, rate));
            }
        }

        return root;
    }

    /// <summary>Every file under a folder with its size and time stamp: equal snapshots mean nothing was written.</summary>
    public static string Snapshot(string folder) => string.Join(
        "\n",
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(folder, f)} {(File.Exists(f) ? new FileInfo(f).Length : -1)} {File.GetLastWriteTimeUtc(f):O}"));
}
