using System.Diagnostics;
using Synthio.Audio;
using Synthio.Augmentation;
using Synthio.Features;

// Streams every WAV file under a dataset folder through feature extraction and the classic augmentation
// chain, one clip at a time, and reports seconds of audio processed per second of compute.
var root = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "datasets", "esc10-16k");
if (!Directory.Exists(root))
{
    Console.Error.WriteLine($"dataset folder not found: {root}");
    return 2;
}

var files = Directory.EnumerateFiles(root, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
if (files.Length == 0)
{
    Console.Error.WriteLine($"no WAV files under {root}");
    return 2;
}

var embedder = new SpectralStatisticsEmbedder();
var augmenter = new ClassicAugmenter();
Console.WriteLine($"clips={files.Length} cpus={Environment.ProcessorCount} embedder={embedder.Identity} dimension={embedder.Dimension}");

// Warm-up so tiered compilation reaches optimised code before timing.
foreach (var file in files.Take(8))
{
    var clip = WavFile.ReadMono(file);
    embedder.Embed(clip);
    augmenter.Augment(clip, 1, [clip]);
}

var readWatch = new Stopwatch();
var featureWatch = new Stopwatch();
var classicWatch = new Stopwatch();
double audioSeconds = 0;
long workingSetAtTenth = 0;
double checksum = 0;

// Backgrounds for the mixing step: the previous few clips, so memory stays bounded.
var backgrounds = new Queue<AudioBuffer>();
for (var i = 0; i < files.Length; i++)
{
    readWatch.Start();
    var clip = WavFile.ReadMono(files[i]);
    readWatch.Stop();
    audioSeconds += clip.DurationSeconds;

    featureWatch.Start();
    var vector = embedder.Embed(clip);
    featureWatch.Stop();
    checksum += vector[0];

    classicWatch.Start();
    var augmented = augmenter.Augment(clip, i, backgrounds.ToArray());
    classicWatch.Stop();
    checksum += augmented.Samples[augmented.Length / 2];

    backgrounds.Enqueue(clip);
    if (backgrounds.Count > 3)
    {
        backgrounds.Dequeue();
    }

    if (i == files.Length / 10)
    {
        workingSetAtTenth = Process.GetCurrentProcess().WorkingSet64;
    }
}

var process = Process.GetCurrentProcess();
Console.WriteLine($"audio_seconds={audioSeconds:F1} checksum={checksum:G6}");
Console.WriteLine($"read_rtf={audioSeconds / readWatch.Elapsed.TotalSeconds:F0}");
Console.WriteLine($"working_set_after_10pct_mb={workingSetAtTenth / 1048576.0:F1} working_set_end_mb={process.WorkingSet64 / 1048576.0:F1}");
Console.WriteLine($"peak_working_set_mb={process.PeakWorkingSet64 / 1048576.0:F1}");
Console.WriteLine($"feature_rtf={audioSeconds / featureWatch.Elapsed.TotalSeconds:F0}");
Console.WriteLine($"classic_rtf={audioSeconds / classicWatch.Elapsed.TotalSeconds:F0}");
return 0;
