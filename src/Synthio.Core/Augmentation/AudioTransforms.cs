using System.Buffers;
using System.Numerics.Tensors;
using Synthio.Audio;

namespace Synthio.Augmentation;

/// <summary>
/// The classic augmentation building blocks, each a pure function from a clip to a new clip of the same
/// sample rate: gain, noise at an SNR, time shift, pitch-preserving time stretch, duration-preserving pitch
/// shift, background mixing at an SNR, reverberation and Butterworth filters. Randomness only enters through
/// an explicit <see cref="Random"/> or seed, so results are reproducible.
/// </summary>
public static class AudioTransforms
{
    /// <summary>Multiplies the clip by 10^(db/20).</summary>
    public static AudioBuffer Gain(AudioBuffer audio, double db) => AudioOps.Scale(audio, AudioOps.FromDb(db));

    /// <summary>
    /// Adds white Gaussian noise whose power is the clip's power divided by 10^(snrDb/10). A silent clip gets
    /// no noise (there is no signal level to refer to).
    /// </summary>
    public static AudioBuffer AddNoise(AudioBuffer audio, double snrDb, Random rng)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(rng);
        var output = (float[])audio.Samples.Clone();
        var rms = AudioOps.Rms(audio);
        if (rms <= 0)
        {
            return new AudioBuffer(output, audio.SampleRate);
        }

        var rented = ArrayPool<float>.Shared.Rent(output.Length);
        var noise = rented.AsSpan(0, output.Length);
        GaussianSampler.Fill(noise, rng);
        TensorPrimitives.MultiplyAdd(noise, (float)(rms / AudioOps.FromDb(snrDb)), output, output);
        ArrayPool<float>.Shared.Return(rented);
        return new AudioBuffer(output, audio.SampleRate);
    }

    /// <summary>
    /// Moves the clip later by <paramref name="shiftSamples"/> (earlier when negative). With
    /// <paramref name="wrap"/> the samples pushed off one end come back at the other; otherwise the gap is silence.
    /// </summary>
    public static AudioBuffer TimeShift(AudioBuffer audio, int shiftSamples, bool wrap = true)
    {
        var n = audio.Length;
        var output = new float[n];
        if (n == 0)
        {
            return new AudioBuffer(output, audio.SampleRate);
        }

        if (wrap)
        {
            var s = ((shiftSamples % n) + n) % n;
            audio.Samples.AsSpan(n - s).CopyTo(output);
            audio.Samples.AsSpan(0, n - s).CopyTo(output.AsSpan(s));
        }
        else if (Math.Abs(shiftSamples) < n)
        {
            if (shiftSamples >= 0)
            {
                audio.Samples.AsSpan(0, n - shiftSamples).CopyTo(output.AsSpan(shiftSamples));
            }
            else
            {
                audio.Samples.AsSpan(-shiftSamples).CopyTo(output);
            }
        }

        return new AudioBuffer(output, audio.SampleRate);
    }

    /// <summary>Time shift by a fraction of the clip's length (−0.5 … 0.5 is the usual range).</summary>
    public static AudioBuffer TimeShiftFraction(AudioBuffer audio, double fraction, bool wrap = true) =>
        TimeShift(audio, (int)Math.Round(fraction * audio.Length), wrap);

    /// <summary>
    /// Changes speed without changing pitch (WSOLA). <paramref name="rate"/> &gt; 1 plays faster: the result
    /// holds round(length / rate) samples.
    /// </summary>
    public static AudioBuffer TimeStretch(AudioBuffer audio, double rate) =>
        new(WsolaTimeStretcher.Stretch(audio.Samples, audio.SampleRate, rate), audio.SampleRate);

    /// <summary>
    /// Changes pitch by <paramref name="semitones"/> (frequency ratio 2^(semitones/12)) keeping the duration:
    /// a WSOLA stretch by the ratio followed by band-limited resampling back to the original length.
    /// </summary>
    public static AudioBuffer PitchShift(AudioBuffer audio, double semitones)
    {
        var ratio = Math.Pow(2, semitones / 12);
        if (audio.Length == 0 || Math.Abs(ratio - 1) < 1e-9)
        {
            return new AudioBuffer((float[])audio.Samples.Clone(), audio.SampleRate);
        }

        var stretched = WsolaTimeStretcher.Stretch(audio.Samples, audio.SampleRate, 1 / ratio);

        // Reading the stretched clip ratio times faster scales every frequency by ratio.
        var resampled = Resampler.ResampleByRatio(stretched, (double)audio.Length / stretched.Length);
        var output = new float[audio.Length];
        resampled.AsSpan(0, Math.Min(resampled.Length, output.Length)).CopyTo(output);
        return new AudioBuffer(output, audio.SampleRate);
    }

    /// <summary>
    /// Mixes <paramref name="background"/> (looped, resampled if needed) under the signal at
    /// <paramref name="snrDb"/> dB signal-to-background power ratio.
    /// </summary>
    public static AudioBuffer MixAtSnr(AudioBuffer signal, AudioBuffer background, double snrDb, int backgroundOffset = 0) =>
        AudioOps.MixAtSnr(signal, background, snrDb, backgroundOffset);

    /// <summary>
    /// Synthetic room impulse response: a unit direct path followed by Gaussian noise decaying by 60 dB over
    /// <paramref name="decaySeconds"/> (RT60), band-limited by a gentle low-pass so it sounds like a room rather
    /// than hiss. Deterministic for a seed. Scaled to unit energy.
    /// </summary>
    public static float[] SyntheticImpulseResponse(int sampleRate, double decaySeconds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        var decay = Math.Clamp(decaySeconds, 0.01, 5.0);
        var length = Math.Max(2, (int)(decay * sampleRate));
        var ir = new float[length];
        var rng = new Random(seed);
        var rate = Math.Log(1000) / (decay * sampleRate);

        // A few milliseconds of pre-delay separate the direct path from the diffuse tail, which is Gaussian
        // noise under an exponential envelope.
        var preDelay = Math.Min(length - 1, (int)(0.005 * sampleRate));
        var tail = ir.AsSpan(preDelay);
        GaussianSampler.Fill(tail, rng);
        var envelope = new float[tail.Length];
        for (var i = 0; i < envelope.Length; i++)
        {
            envelope[i] = (float)(-rate * (i + preDelay));
        }

        TensorPrimitives.Exp(envelope, envelope);
        TensorPrimitives.Multiply(tail, envelope, tail);

        new ButterworthFilter(FilterKind.LowPass, Math.Min(6000, 0.45 * sampleRate), sampleRate, 2).Process(ir, ir);
        var tailEnergy = TensorPrimitives.SumOfSquares(ir);
        var tailScale = tailEnergy > 0 ? (float)(1 / Math.Sqrt(tailEnergy)) : 0f;
        TensorPrimitives.Multiply(ir, tailScale, ir);
        ir[0] = 1f;
        var energy = TensorPrimitives.SumOfSquares(ir);
        TensorPrimitives.Multiply(ir, (float)(1 / Math.Sqrt(energy)), ir);
        return ir;
    }

    /// <summary>
    /// Adds reverberation: the clip convolved with a synthetic room response (<see cref="SyntheticImpulseResponse"/>),
    /// mixed as (1 − wet)·dry + wet·reverberant with the reverberant part matched to the dry RMS. Keeps the length.
    /// </summary>
    public static AudioBuffer Reverb(AudioBuffer audio, double decaySeconds, double wet, int seed) =>
        ConvolveImpulseResponse(audio, SyntheticImpulseResponse(audio.SampleRate, decaySeconds, seed), wet);

    /// <summary>
    /// Convolves the clip with a measured or synthetic <paramref name="impulseResponse"/> (same sample rate) and
    /// mixes it with the dry clip; the reverberant part is scaled to the dry RMS so loudness stays put.
    /// </summary>
    public static AudioBuffer ConvolveImpulseResponse(AudioBuffer audio, ReadOnlySpan<float> impulseResponse, double wet = 1.0)
    {
        var mix = Math.Clamp(wet, 0, 1);
        var output = new float[audio.Length];
        if (audio.Length == 0 || impulseResponse.IsEmpty)
        {
            audio.Samples.CopyTo(output, 0);
            return new AudioBuffer(output, audio.SampleRate);
        }

        var reverberant = Convolve(audio.Samples, impulseResponse, audio.Length);
        var dryRms = AudioOps.Rms(audio.Samples);
        var wetRms = AudioOps.Rms(reverberant);
        var wetScale = wetRms > 0 ? (float)(mix * dryRms / wetRms) : 0f;
        TensorPrimitives.Multiply(audio.Samples, (float)(1 - mix), output);
        TensorPrimitives.MultiplyAdd(reverberant, wetScale, output, output);
        return new AudioBuffer(output, audio.SampleRate);
    }

    /// <summary>
    /// Linear convolution of two real signals by one complex FFT (both packed into one transform), truncated
    /// to <paramref name="outputLength"/> samples.
    /// </summary>
    public static float[] Convolve(ReadOnlySpan<float> signal, ReadOnlySpan<float> kernel, int outputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(outputLength);
        var output = new float[outputLength];
        if (signal.IsEmpty || kernel.IsEmpty)
        {
            return output;
        }

        var full = signal.Length + kernel.Length - 1;
        var size = FftPlan.NextPowerOfTwo(full);
        var plan = FftPlan.Get(size);
        var rentedRe = ArrayPool<float>.Shared.Rent(size);
        var rentedIm = ArrayPool<float>.Shared.Rent(size);
        try
        {
            var re = rentedRe.AsSpan(0, size);
            var im = rentedIm.AsSpan(0, size);
            re.Clear();
            im.Clear();
            signal.CopyTo(re);
            kernel.CopyTo(im);
            plan.Forward(re, im);

            // Z = X + iH. With Z*[N−k] = X[k] − iH[k] (both inputs real): X = (Z[k] + Z*[N−k]) / 2 and
            // H = (Z[k] − Z*[N−k]) / 2i. Bins k and N−k are untangled together so Y = X·H can overwrite Z in place.
            for (var k = 0; k <= size / 2; k++)
            {
                var j = (size - k) & (size - 1);
                float zr = re[k], zi = im[k], cr = re[j], ci = -im[j];
                float xr = 0.5f * (zr + cr), xi = 0.5f * (zi + ci), hr = 0.5f * (zi - ci), hi = -0.5f * (zr - cr);
                var yr = (xr * hr) - (xi * hi);
                var yi = (xr * hi) + (xi * hr);
                re[k] = yr;
                im[k] = yi;
                if (j != k)
                {
                    // Y[N−k] = conj(Y[k]) because y is real.
                    re[j] = yr;
                    im[j] = -yi;
                }
            }

            plan.Inverse(re, im);
            re[..Math.Min(outputLength, size)].CopyTo(output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rentedRe);
            ArrayPool<float>.Shared.Return(rentedIm);
        }

        return output;
    }

    /// <summary>Butterworth low-pass (−3 dB at <paramref name="cutoffHz"/>, 6·order dB/octave beyond).</summary>
    public static AudioBuffer LowPass(AudioBuffer audio, double cutoffHz, int order = 4) =>
        ApplyFilter(audio, new ButterworthFilter(FilterKind.LowPass, cutoffHz, audio.SampleRate, order));

    /// <summary>Butterworth high-pass (−3 dB at <paramref name="cutoffHz"/>, 6·order dB/octave below).</summary>
    public static AudioBuffer HighPass(AudioBuffer audio, double cutoffHz, int order = 4) =>
        ApplyFilter(audio, new ButterworthFilter(FilterKind.HighPass, cutoffHz, audio.SampleRate, order));

    /// <summary>Band-pass between <paramref name="lowHz"/> and <paramref name="highHz"/>: a high-pass then a low-pass.</summary>
    public static AudioBuffer BandPass(AudioBuffer audio, double lowHz, double highHz, int order = 4)
    {
        if (!(highHz > lowHz))
        {
            throw new ArgumentException($"Band edges must satisfy low < high (got {lowHz} and {highHz}).");
        }

        var output = (float[])audio.Samples.Clone();
        new ButterworthFilter(FilterKind.HighPass, lowHz, audio.SampleRate, order).Process(output, output);
        new ButterworthFilter(FilterKind.LowPass, highHz, audio.SampleRate, order).Process(output, output);
        return new AudioBuffer(output, audio.SampleRate);
    }

    /// <summary>
    /// Band-pass described like audiomentations: a centre frequency and a bandwidth as a fraction of it
    /// (edges at centre·(1 ∓ fraction/2)).
    /// </summary>
    public static AudioBuffer BandPassAround(AudioBuffer audio, double centerHz, double bandwidthFraction, int order = 4)
    {
        var half = Math.Clamp(bandwidthFraction, 0.01, 1.98) / 2;
        return BandPass(audio, centerHz * (1 - half), centerHz * (1 + half), order);
    }

    private static AudioBuffer ApplyFilter(AudioBuffer audio, ButterworthFilter filter)
    {
        var output = new float[audio.Length];
        filter.Process(audio.Samples, output);
        return new AudioBuffer(output, audio.SampleRate);
    }
}
