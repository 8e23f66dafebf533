using System.Numerics.Tensors;

namespace Synthio.Audio;

/// <summary>How <see cref="AudioOps.FitToDuration"/> places a clip that is shorter or longer than the target.</summary>
public enum FitAlignment
{
    /// <summary>Keep the start: pad or crop at the end.</summary>
    Start,

    /// <summary>Centre the clip: pad or crop equally on both sides.</summary>
    Center,
}

/// <summary>Length, level and mixing operations on <see cref="AudioBuffer"/>s. Every method returns a new buffer.</summary>
public static class AudioOps
{
    /// <summary>Level used for digital silence so that decibel values stay finite.</summary>
    public const double SilenceFloorDb = -120.0;

    /// <summary>Root mean square of the samples (0 for an empty buffer).</summary>
    public static double Rms(AudioBuffer audio) => Rms(audio.Samples);

    /// <summary>Root mean square of <paramref name="samples"/>, accumulated in double precision.</summary>
    public static double Rms(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>
    /// Peak level at or below which a clip counts as silent: −80 dBFS, a few steps of 16-bit PCM, so digital
    /// silence and dither count, while the quietest real recording in the shared datasets peaks at −40 dBFS.
    /// </summary>
    public const double SilencePeak = 1e-4;

    /// <summary>Largest absolute sample value.</summary>
    public static double Peak(AudioBuffer audio) => audio.Length == 0 ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(audio.Samples));

    /// <summary>True when no sample rises above <see cref="SilencePeak"/> (an empty buffer included).</summary>
    public static bool IsSilent(AudioBuffer audio) => Peak(audio) <= SilencePeak;

    /// <summary>Why <paramref name="audio"/> counts as silent, for messages: "is all zeros" or "peaks at -86 dBFS, at or below -80 dBFS".</summary>
    public static string DescribeSilence(AudioBuffer audio) =>
        Peak(audio) is var peak && peak > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"peaks at {ToDb(peak):0} dBFS, at or below {ToDb(SilencePeak):0} dBFS")
            : "is all zeros";

    /// <summary>RMS level in dBFS (a full-scale sine is −3 dBFS), floored at <see cref="SilenceFloorDb"/>.</summary>
    public static double RmsDb(AudioBuffer audio) => ToDb(Rms(audio));

    /// <summary>Converts an amplitude ratio to decibels, floored at <see cref="SilenceFloorDb"/>.</summary>
    public static double ToDb(double amplitude) => amplitude > 0 ? Math.Max(SilenceFloorDb, 20 * Math.Log10(amplitude)) : SilenceFloorDb;

    /// <summary>Converts decibels to an amplitude ratio.</summary>
    public static double FromDb(double db) => Math.Pow(10, db / 20);

    /// <summary>Multiplies every sample by <paramref name="factor"/>.</summary>
    public static AudioBuffer Scale(AudioBuffer audio, double factor)
    {
        var output = new float[audio.Length];
        TensorPrimitives.Multiply(audio.Samples, (float)factor, output);
        return new AudioBuffer(output, audio.SampleRate);
    }

    /// <summary>Pads with silence or crops to exactly <paramref name="length"/> samples.</summary>
    public static AudioBuffer FitToLength(AudioBuffer audio, int length, FitAlignment alignment = FitAlignment.Start)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == audio.Length)
        {
            return new AudioBuffer((float[])audio.Samples.Clone(), audio.SampleRate);
        }

        var output = new float[length];
        var difference = length - audio.Length;
        var offset = alignment == FitAlignment.Center ? difference / 2 : 0;
        if (difference > 0)
        {
            audio.Samples.CopyTo(output.AsSpan(offset));
        }
        else
        {
            audio.Samples.AsSpan(-offset, length).CopyTo(output);
        }

        return new AudioBuffer(output, audio.SampleRate);
    }

    /// <summary>Pads with silence or crops to <paramref name="seconds"/> (rounded to the nearest sample).</summary>
    public static AudioBuffer FitToDuration(AudioBuffer audio, double seconds, FitAlignment alignment = FitAlignment.Start)
    {
        if (!(seconds >= 0) || double.IsInfinity(seconds))
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "Duration must be non-negative and finite.");
        }

        return FitToLength(audio, (int)Math.Round(seconds * audio.SampleRate), alignment);
    }

    /// <summary>Scales to an RMS level of <paramref name="targetDbfs"/>; silence stays silent.</summary>
    public static AudioBuffer NormalizeRms(AudioBuffer audio, double targetDbfs = -20)
    {
        var rms = Rms(audio);
        return rms > 0 ? Scale(audio, FromDb(targetDbfs) / rms) : Scale(audio, 1);
    }

    /// <summary>Scales so the largest absolute sample sits at <paramref name="targetDbfs"/>; silence stays silent.</summary>
    public static AudioBuffer NormalizePeak(AudioBuffer audio, double targetDbfs = -1)
    {
        var peak = Peak(audio);
        return peak > 0 ? Scale(audio, FromDb(targetDbfs) / peak) : Scale(audio, 1);
    }

    /// <summary>Scales down (never up) so that no sample exceeds <paramref name="ceiling"/> in magnitude.</summary>
    public static AudioBuffer PreventClipping(AudioBuffer audio, double ceiling = 0.999)
    {
        var peak = Peak(audio);
        return peak > ceiling ? Scale(audio, ceiling / peak) : audio;
    }

    /// <summary>Sample-wise sum of two buffers of the same rate; the result has the longer length.</summary>
    public static AudioBuffer Add(AudioBuffer a, AudioBuffer b)
    {
        RequireSameRate(a, b);
        var output = new float[Math.Max(a.Length, b.Length)];
        a.Samples.CopyTo(output, 0);
        var overlap = output.AsSpan(0, b.Length);
        TensorPrimitives.Add(overlap, b.Samples, overlap);
        return new AudioBuffer(output, a.SampleRate);
    }

    /// <summary>
    /// Mixes <paramref name="background"/> under <paramref name="signal"/> so that signal power over background
    /// power is <paramref name="snrDb"/> dB. The background is resampled to the signal's rate if needed, starts at
    /// <paramref name="backgroundOffset"/> samples and is looped to cover the whole signal. The result has the
    /// signal's length. A silent signal or background leaves the signal unchanged.
    /// </summary>
    public static AudioBuffer MixAtSnr(AudioBuffer signal, AudioBuffer background, double snrDb, int backgroundOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(background);
        var bg = Resampler.Resample(background, signal.SampleRate);
        var output = (float[])signal.Samples.Clone();
        if (bg.Length == 0 || signal.Length == 0)
        {
            return new AudioBuffer(output, signal.SampleRate);
        }

        var looped = new float[signal.Length];
        var start = ((backgroundOffset % bg.Length) + bg.Length) % bg.Length;
        for (var filled = 0; filled < looped.Length;)
        {
            var count = Math.Min(bg.Length - start, looped.Length - filled);
            bg.Samples.AsSpan(start, count).CopyTo(looped.AsSpan(filled));
            filled += count;
            start = 0;
        }

        var signalRms = Rms(signal.Samples);
        var backgroundRms = Rms(looped);
        if (signalRms <= 0 || backgroundRms <= 0)
        {
            return new AudioBuffer(output, signal.SampleRate);
        }

        var gain = (float)(signalRms / backgroundRms / FromDb(snrDb));
        TensorPrimitives.MultiplyAdd(looped, gain, output, output);
        return new AudioBuffer(output, signal.SampleRate);
    }

    /// <summary>
    /// Adds <paramref name="clip"/>·<paramref name="gain"/> onto <paramref name="bed"/> starting at
    /// <paramref name="offsetSamples"/> (negative starts the clip part-way through); the part that falls outside the
    /// bed is dropped, so the result has the bed's length. The clip is resampled to the bed's rate if needed.
    /// </summary>
    public static AudioBuffer Overlay(AudioBuffer bed, AudioBuffer clip, int offsetSamples, double gain = 1.0)
    {
        ArgumentNullException.ThrowIfNull(bed);
        ArgumentNullException.ThrowIfNull(clip);
        var source = Resampler.Resample(clip, bed.SampleRate).Samples;
        var output = (float[])bed.Samples.Clone();
        var start = Math.Max(0, offsetSamples);
        var skip = start - offsetSamples;
        var count = Math.Min(output.Length - start, source.Length - skip);
        if (count > 0)
        {
            var target = output.AsSpan(start, count);
            TensorPrimitives.MultiplyAdd(source.AsSpan(skip, count), (float)gain, target, target);
        }

        return new AudioBuffer(output, bed.SampleRate);
    }

    /// <summary>Raised-cosine fade-in and fade-out over the given durations (each capped at half the clip), to avoid clicks.</summary>
    public static AudioBuffer Fade(AudioBuffer audio, double fadeInSeconds, double fadeOutSeconds)
    {
        var output = (float[])audio.Samples.Clone();
        var half = output.Length / 2;
        var fadeIn = Math.Clamp((int)Math.Round(fadeInSeconds * audio.SampleRate), 0, half);
        var fadeOut = Math.Clamp((int)Math.Round(fadeOutSeconds * audio.SampleRate), 0, half);
        for (var i = 0; i < fadeIn; i++)
        {
            output[i] *= (float)(0.5 - (0.5 * Math.Cos(Math.PI * i / fadeIn)));
        }

        for (var i = 0; i < fadeOut; i++)
        {
            output[output.Length - 1 - i] *= (float)(0.5 - (0.5 * Math.Cos(Math.PI * i / fadeOut)));
        }

        return new AudioBuffer(output, audio.SampleRate);
    }

    private static void RequireSameRate(AudioBuffer a, AudioBuffer b)
    {
        if (a.SampleRate != b.SampleRate)
        {
            throw new ArgumentException($"Sample rates differ ({a.SampleRate} Hz and {b.SampleRate} Hz); resample first.");
        }
    }
}
