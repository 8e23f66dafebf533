using System.Diagnostics;
using Synthio.Audio;
using Synthio.Augmentation;
using Synthio.Features;

// Streams every WAV file under a dataset folder through feature extraction and the classic augmentation
// chain, one clip at a time, and reports seconds of audio processed per second of compute; then decodes one
// file of each format a dataset may hold (the test fixtures) the same way.
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

// The same chain with the pitch shift that scales every frequency, timed on the same clips: what keeping the
// spectral envelope costs.
var scalingAugmenter = new ClassicAugmenter(ClassicAugmentationSettings.Default with { PitchShiftKeepsEnvelopeProbability = 0 });
Console.WriteLine($"clips={files.Length} cpus={Environment.ProcessorCount} embedder={embedder.Identity} dimension={embedder.Dimension}");

// Warm-up so tiered compilation reaches optimised code before timing.
foreach (var file in files.Take(8))
{
    var clip = WavFile.ReadMono(file);
    embedder.Embed(clip);
    augmenter.Augment(clip, 1, [clip]);
    scalingAugmenter.Augment(clip, 1, [clip]);
}

var readWatch = new Stopwatch();
var featureWatch = new Stopwatch();
var classicWatch = new Stopwatch();
double featureCpu = 0, classicCpu = 0, scalingCpu = 0;
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

    var cpu0 = CpuClock.Seconds();
    featureWatch.Start();
    var vector = embedder.Embed(clip);
    featureWatch.Stop();
    var cpu1 = CpuClock.Seconds();
    featureCpu += cpu1 - cpu0;
    checksum += vector[0];

    classicWatch.Start();
    var augmented = augmenter.Augment(clip, i, backgrounds.ToArray());
    classicWatch.Stop();
    classicCpu += CpuClock.Seconds() - cpu1;
    checksum += augmented.Samples[augmented.Length / 2];

    var cpu2 = CpuClock.Seconds();
    checksum += scalingAugmenter.Augment(clip, i, backgrounds.ToArray()).Samples[clip.Length / 2];
    scalingCpu += CpuClock.Seconds() - cpu2;

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
Console.WriteLine($"clock={CpuClock.Kind}");
Console.WriteLine($"feature_rtf_wall={audioSeconds / featureWatch.Elapsed.TotalSeconds:F0} classic_rtf_wall={audioSeconds / classicWatch.Elapsed.TotalSeconds:F0}");
Console.WriteLine($"feature_rtf={audioSeconds / featureCpu:F0}");
Console.WriteLine($"classic_rtf={audioSeconds / classicCpu:F0} classic_scaled_pitch_rtf={audioSeconds / scalingCpu:F0}");

// Decoding each format a dataset may hold, side by side: the test fixtures, each decoded for at least a second of CPU.
var fixtures = args.Length > 1 ? args[1] : Path.Combine("tests", "Synthio.Core.Tests", "AudioFiles");
foreach (var (name, file) in new[]
{
    ("wav_pcm16", "adpcm-stereo-16k-as-pcm16.wav"), ("wav_ima_adpcm", "adpcm-stereo-16k.wav"), ("wav_ms_adpcm", "ms-adpcm-stereo-16k.wav"), ("wav_mu_law", "every-code-mu-law.wav"),
    ("flac_16bit", "sine440-16k-mono16.flac"), ("flac_24bit_stereo", "stereo-440-660-44k-24bit.flac"),
    ("mp3", "stereo-440-660-16k.mp3"), ("ogg_vorbis", "stereo-440-660-16k.ogg"), ("opus", "stereo-440-660-16k.opus"), ("webm_opus", "stereo-440-660-16k.webm"), ("aiff_24bit", "stereo-16k-24bit.aif"),
})
{
    var path = Path.Combine(fixtures, file);
    if (!File.Exists(path))
    {
        Console.WriteLine($"decode_{name}=missing ({path})");
        continue;
    }

    var bytes = File.ReadAllBytes(path);
    var seconds = AudioFile.DecodeMono(bytes, file).DurationSeconds; // also the warm-up
    var decoded = 0.0;
    var start = CpuClock.Seconds();
    while (CpuClock.Seconds() - start < 1)
    {
        checksum += AudioFile.DecodeMono(bytes, file).Samples[0];
        decoded += seconds;
    }

    Console.WriteLine($"decode_rtf_{name}={decoded / (CpuClock.Seconds() - start):F0}");
}

return 0;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID): on a shared machine it counts only the
/// work this benchmark did, not the time other processes held the core. Falls back to process CPU time.
/// </summary>
internal static partial class CpuClock
{
    private const int ThreadCpuTimeClock = 3;

    private static readonly bool HasThreadClock = OperatingSystem.IsLinux() && TryThreadClock(out _);

    public static string Kind => HasThreadClock ? "thread-cpu-time" : "process-cpu-time";

    public static double Seconds()
    {
        if (HasThreadClock && TryThreadClock(out var seconds))
        {
            return seconds;
        }

        return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    }

    private static bool TryThreadClock(out double seconds)
    {
        seconds = 0;
        try
        {
            if (ClockGetTime(ThreadCpuTimeClock, out var ts) != 0)
            {
                return false;
            }

            seconds = ts.Seconds + (ts.Nanoseconds * 1e-9);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
