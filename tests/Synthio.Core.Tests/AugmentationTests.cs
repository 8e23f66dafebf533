using Synthio.Audio;
using Synthio.Augmentation;
using Synthio.Features;
using static Synthio.Core.Tests.AudioTestSignals;

namespace Synthio.Core.Tests;

public class AugmentationTests
{
    private static double F0(AudioBuffer audio) => PitchEstimator.Estimate(audio, 60, 1500).FrequencyHz;

    [Theory]
    [InlineData(0.8)]
    [InlineData(1.25)]
    [InlineData(0.5)]
    [InlineData(1.7)]
    public void TimeStretchChangesDurationButKeepsPitch(double rate)
    {
        var tone = Harmonic(220, 16000, 2.0);
        var stretched = AudioTransforms.TimeStretch(tone, rate);
        Assert.Equal((int)Math.Round(tone.Length / rate), stretched.Length);
        Assert.Equal(220, F0(new AudioBuffer(Middle(stretched).ToArray(), 16000)), 220 * 0.01);

        // Level is kept too (no gaps or doubled frames).
        Assert.Equal(Rms(Middle(tone)), Rms(Middle(stretched)), Rms(Middle(tone)) * 0.1);
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(-5.0)]
    [InlineData(7.0)]
    [InlineData(-12.0)]
    [InlineData(0.5)]
    public void PitchShiftMovesTheFundamentalByTheAskedRatioAndKeepsDuration(double semitones)
    {
        var tone = Harmonic(196, 16000, 2.0);
        var shifted = AudioTransforms.PitchShift(tone, semitones);
        Assert.Equal(tone.Length, shifted.Length);
        var expected = 196 * Math.Pow(2, semitones / 12);
        Assert.Equal(expected, F0(new AudioBuffer(Middle(shifted).ToArray(), 16000)), expected * 0.01);
    }

    [Fact]
    public void PitchShiftOfAPureSineMovesItsSpectralPeak()
    {
        var shifted = AudioTransforms.PitchShift(Sine(1000, 16000, 1.0), 4);
        Assert.Equal(1000 * Math.Pow(2, 4 / 12.0), DominantFrequency(shifted), 1000 * Math.Pow(2, 4 / 12.0) * 0.01);
    }

    [Theory]
    [InlineData(4.0)]
    [InlineData(-4.0)]
    [InlineData(7.0)]
    public void FormantKeepingPitchShiftMovesTheHarmonicsAndKeepsTheResonances(double semitones)
    {
        var vowel = Vowel(120, 16000, 2.0, 700, 1200, 2600);
        var kept = FormantKeepingPitchShifter.Shift(vowel, semitones);
        var scaled = AudioTransforms.PitchShift(vowel, semitones);
        Assert.Equal(vowel.Length, kept.Length);
        Assert.Equal(vowel.SampleRate, kept.SampleRate);

        var expected = 120 * Math.Pow(2, semitones / 12);
        Assert.Equal(expected, F0(new AudioBuffer(Middle(kept).ToArray(), 16000)), expected * 0.02);

        // The energy profile over 500-Hz bands: scaling every frequency moves it, keeping the envelope does not.
        var original = BandEnergiesDb(vowel);
        double Distance(AudioBuffer a) => BandEnergiesDb(a).Zip(original, (x, y) => Math.Abs(x - y)).Average();
        Assert.True(Distance(kept) < 0.5 * Distance(scaled), $"band-energy distance: envelope kept {Distance(kept):0.0} dB, frequencies scaled {Distance(scaled):0.0} dB");
        Assert.True(Distance(kept) < 4, $"band-energy distance with the envelope kept: {Distance(kept):0.0} dB");
        Assert.Equal(Rms(Middle(scaled)), Rms(Middle(kept)), Rms(Middle(scaled)) * 0.15);
    }

    [Fact]
    public void FormantKeepingPitchShiftIsAPureFunctionAndHandlesEdgeCases()
    {
        var vowel = Vowel(150, 16000, 0.5, 500, 1500);
        Assert.Equal(FormantKeepingPitchShifter.Shift(vowel, 3).Samples, FormantKeepingPitchShifter.Shift(vowel, 3).Samples);
        Assert.Equal(vowel.Samples, FormantKeepingPitchShifter.Shift(vowel, 0).Samples);
        Assert.Empty(FormantKeepingPitchShifter.Shift(new AudioBuffer(Array.Empty<float>(), 16000), 3).Samples);

        // Shorter than one analysis frame, and silence: same length, finite, silence stays silent.
        var blip = FormantKeepingPitchShifter.Shift(new AudioBuffer(vowel.Samples[..300], 16000), -5);
        Assert.Equal(300, blip.Length);
        Assert.All(blip.Samples, v => Assert.True(float.IsFinite(v) && Math.Abs(v) <= 1));
        Assert.All(FormantKeepingPitchShifter.Shift(new AudioBuffer(new float[4000], 16000), 4).Samples, v => Assert.Equal(0f, v));

        // Another rate: the frame follows it.
        var high = FormantKeepingPitchShifter.Shift(Vowel(150, 44100, 0.5, 500, 1500), 3);
        Assert.Equal(22050, high.Length);
        Assert.All(high.Samples, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void GainScalesByTheDecibelFactor()
    {
        var tone = Sine(440, 16000, 0.1, amplitude: 0.2);
        var louder = AudioTransforms.Gain(tone, 20 * Math.Log10(2));
        for (var i = 0; i < tone.Length; i++)
        {
            Assert.Equal(tone.Samples[i] * 2, louder.Samples[i], 1e-6f);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(10.0)]
    [InlineData(30.0)]
    public void NoiseIsAddedAtTheAskedSnrAndReproducibly(double snr)
    {
        var tone = Sine(440, 16000, 1.0, amplitude: 0.3);
        var noisy = AudioTransforms.AddNoise(tone, snr, new Random(42));
        var noise = noisy.Samples.Zip(tone.Samples, (a, b) => a - b).ToArray();
        Assert.Equal(snr, 20 * Math.Log10(Rms(tone.Samples) / Rms(noise)), 0.15);
        Assert.Equal(noisy.Samples, AudioTransforms.AddNoise(tone, snr, new Random(42)).Samples);
        Assert.NotEqual(noisy.Samples, AudioTransforms.AddNoise(tone, snr, new Random(43)).Samples);

        // Gaussian: about 68 % of the noise samples lie within one standard deviation.
        var sigma = Rms(noise);
        Assert.InRange(noise.Count(n => Math.Abs(n) < sigma) / (double)noise.Length, 0.66, 0.70);
    }

    [Fact]
    public void TimeShiftRotatesOrPadsWithSilence()
    {
        var clip = new AudioBuffer([1f, 2f, 3f, 4f, 5f], 10);
        Assert.Equal([4f, 5f, 1f, 2f, 3f], AudioTransforms.TimeShift(clip, 2).Samples);
        Assert.Equal([3f, 4f, 5f, 1f, 2f], AudioTransforms.TimeShift(clip, -2).Samples);
        Assert.Equal([0f, 0f, 1f, 2f, 3f], AudioTransforms.TimeShift(clip, 2, wrap: false).Samples);
        Assert.Equal([3f, 4f, 5f, 0f, 0f], AudioTransforms.TimeShift(clip, -2, wrap: false).Samples);
        Assert.Equal(new float[5], AudioTransforms.TimeShift(clip, 7, wrap: false).Samples);
        Assert.Equal([4f, 5f, 1f, 2f, 3f], AudioTransforms.TimeShiftFraction(clip, 0.4).Samples);
    }

    [Fact]
    public void LowPassKeepsTheBandAndRemovesWhatIsAbove()
    {
        const int rate = 16000;
        double GainAt(double hz) => ToneAmplitude(Middle(AudioTransforms.LowPass(Sine(hz, rate, 1.0), 2000)), rate, hz) / 0.5;
        Assert.Equal(1.0, GainAt(300), 0.01);
        Assert.Equal(1 / Math.Sqrt(2), GainAt(2000), 0.03); // −3 dB at the cut-off
        Assert.True(GainAt(7000) < Math.Pow(10, -35 / 20.0), $"7 kHz only {20 * Math.Log10(GainAt(7000)):F1} dB down");
    }

    [Fact]
    public void HighPassAndBandPassKeepTheirBands()
    {
        const int rate = 16000;
        double HighGain(double hz) => ToneAmplitude(Middle(AudioTransforms.HighPass(Sine(hz, rate, 1.0), 1000)), rate, hz) / 0.5;
        Assert.Equal(1.0, HighGain(5000), 0.01);
        Assert.Equal(1 / Math.Sqrt(2), HighGain(1000), 0.03);
        Assert.True(HighGain(200) < Math.Pow(10, -45 / 20.0));

        double BandGain(double hz) => ToneAmplitude(Middle(AudioTransforms.BandPass(Sine(hz, rate, 1.0), 800, 3200)), rate, hz) / 0.5;
        Assert.Equal(1.0, BandGain(1600), 0.03);
        Assert.True(BandGain(100) < 0.01);
        Assert.True(BandGain(7500) < 0.01);
        Assert.Throws<ArgumentException>(() => AudioTransforms.BandPass(Sine(1, rate, 0.1), 3000, 1000));
    }

    [Fact]
    public void ConvolutionMatchesTheDirectSum()
    {
        var rng = new Random(5);
        var x = Enumerable.Range(0, 300).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var h = Enumerable.Range(0, 37).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var fast = AudioTransforms.Convolve(x, h, x.Length + h.Length - 1);
        for (var n = 0; n < fast.Length; n++)
        {
            double direct = 0;
            for (var k = 0; k < h.Length; k++)
            {
                if (n - k >= 0 && n - k < x.Length)
                {
                    direct += x[n - k] * h[k];
                }
            }

            Assert.Equal(direct, fast[n], 1e-4);
        }
    }

    [Fact]
    public void ReverbAddsADecayingTailDeterministically()
    {
        // A short burst followed by silence: the reverb must fill the silence with a decaying tail.
        var burst = new float[16000];
        WhiteNoise(16000, 0.05, seed: 2, amplitude: 0.5).Samples.CopyTo(burst, 0);
        var clip = new AudioBuffer(burst, 16000);
        var wet = AudioTransforms.Reverb(clip, decaySeconds: 0.6, wet: 0.5, seed: 7);
        Assert.Equal(clip.Length, wet.Length);
        var early = Rms(wet.Samples.AsSpan(1600, 1600));
        var late = Rms(wet.Samples.AsSpan(8000, 1600));
        Assert.True(early > 1e-3, "the tail is audible after the burst");
        Assert.True(late < early * 0.3, "the tail decays");
        Assert.Equal(wet.Samples, AudioTransforms.Reverb(clip, 0.6, 0.5, 7).Samples);
        Assert.NotEqual(wet.Samples, AudioTransforms.Reverb(clip, 0.6, 0.5, 8).Samples);
        Assert.Equal(clip.Samples, AudioTransforms.Reverb(clip, 0.6, 0.0, 7).Samples);

        var ir = AudioTransforms.SyntheticImpulseResponse(16000, 0.5, 1);
        Assert.Equal(8000, ir.Length);
        Assert.Equal(1.0, ir.Sum(v => (double)v * v), 1e-4);
    }

    [Fact]
    public void ClassicAugmenterIsReproducibleAndKeepsTheClipShape()
    {
        var clip = Harmonic(300, 16000, 1.0);
        var background = WhiteNoise(44100, 0.5, seed: 1);
        var augmenter = new ClassicAugmenter();
        var outputs = Enumerable.Range(0, 12).Select(seed => augmenter.Augment(clip, seed, [background])).ToList();
        foreach (var (output, seed) in outputs.Select((o, i) => (o, i)))
        {
            Assert.Equal(clip.Length, output.Length);
            Assert.Equal(clip.SampleRate, output.SampleRate);
            Assert.All(output.Samples, s => Assert.True(float.IsFinite(s) && Math.Abs(s) < 1f));
            Assert.Equal(output.Samples, new ClassicAugmenter().Augment(clip, seed, [background]).Samples);
        }

        Assert.Equal(outputs.Count, outputs.Select(o => string.Join(",", o.Samples.Take(2000).Select(s => s.ToString("R")))).Distinct().Count());
        Assert.All(outputs, o => Assert.NotEqual(clip.Samples, o.Samples));
    }

    [Fact]
    public void ACopyAsWrittenIsThatCopyIn16BitWav()
    {
        // The build writes these bytes and the policy search scores them: both must be the seeded copy, quantized.
        var clip = Harmonic(300, 16000, 0.5);
        var augmenter = new ClassicAugmenter();
        var bytes = augmenter.CopyAsWritten(clip, 7, "clip-a", 2);
        Assert.Equal(bytes, new ClassicAugmenter().CopyAsWritten(clip, 7, "clip-a", 2));
        Assert.NotEqual(bytes, augmenter.CopyAsWritten(clip, 7, "clip-a", 3));
        var copy = augmenter.Augment(clip, ClassicAugmenter.CopySeed(7, "clip-a", 2));
        var read = WavFile.ParseMono(bytes, "copy");
        Assert.Equal(copy.SampleRate, read.SampleRate);
        Assert.Equal(copy.Length, read.Length);
        Assert.All(copy.Samples.Zip(read.Samples), p => Assert.True(Math.Abs(p.First - p.Second) <= 1.0 / 32768, $"{p.First} read back as {p.Second}"));
        Assert.Contains(copy.Samples.Zip(read.Samples), p => p.First != p.Second);
    }

    [Fact]
    public void ClassicAugmenterWithNothingEnabledReturnsACopy()
    {
        var off = new ClassicAugmentationSettings
        {
            GainProbability = 0, TimeStretchProbability = 0, PitchShiftProbability = 0, TimeShiftProbability = 0,
            BackgroundProbability = 0, ReverbProbability = 0, LowPassProbability = 0, HighPassProbability = 0,
            BandPassProbability = 0, NoiseProbability = 0,
        };
        var clip = Harmonic(300, 16000, 0.5);
        var output = new ClassicAugmenter(off).Augment(clip, 3, [clip]);
        Assert.Equal(clip.Samples, output.Samples);
        Assert.NotSame(clip.Samples, output.Samples);

        // With only a fixed gain enabled, the result is exactly that gain.
        var gainOnly = off with { GainProbability = 1, GainDb = new ParameterRange(-6, -6) };
        Assert.Equal(AudioTransforms.Gain(clip, -6).Samples, new ClassicAugmenter(gainOnly).Augment(clip, 3).Samples);

        // Turning one step off does not reshuffle the random draws of the others.
        var noiseOnly = off with { NoiseProbability = 1 };
        var noiseAndGainOff = noiseOnly with { GainProbability = 0.0001 };
        Assert.Equal(new ClassicAugmenter(noiseOnly).Augment(clip, 5).Samples, new ClassicAugmenter(noiseAndGainOff).Augment(clip, 5).Samples);
    }

    [Fact]
    public void ClassicAugmenterIdentityFollowsTheSettings()
    {
        var a = new ClassicAugmenter().Identity;
        Assert.Equal(a, new ClassicAugmenter(new ClassicAugmentationSettings()).Identity);
        Assert.NotEqual(a, new ClassicAugmenter(new ClassicAugmentationSettings { NoiseProbability = 0.25 }).Identity);
        Assert.NotEqual(a, new ClassicAugmenter(new ClassicAugmentationSettings { PitchShiftSemitones = new ParameterRange(-2, 2) }).Identity);
        Assert.NotEqual(a, new ClassicAugmenter(new ClassicAugmentationSettings { PitchShiftKeepsEnvelopeProbability = 0.5 }).Identity);

        // The pure chains keep the identities their cached copies were made under before the envelope share existed.
        const string Rest = "\"TimeShiftProbability\":0.5,\"TimeShiftFraction\":{\"Min\":-0.5,\"Max\":0.5},\"BackgroundProbability\":0,\"BackgroundSnrDb\":{\"Min\":3,\"Max\":30},\"ReverbProbability\":0,\"ReverbDecaySeconds\":{\"Min\":0.2,\"Max\":1},\"ReverbWet\":{\"Min\":0.1,\"Max\":0.5},\"LowPassProbability\":0,\"LowPassCutoffHz\":{\"Min\":1500,\"Max\":7500},\"HighPassProbability\":0,\"HighPassCutoffHz\":{\"Min\":20,\"Max\":2400},\"BandPassProbability\":0,\"BandPassCenterHz\":{\"Min\":200,\"Max\":4000},\"BandPassBandwidthFraction\":{\"Min\":0.5,\"Max\":1.99},\"FilterOrder\":4,\"NoiseProbability\":0,\"NoiseSnrDb\":{\"Min\":10,\"Max\":40}}";
        const string Start = "{\"GainProbability\":0.5,\"GainDb\":{\"Min\":-6,\"Max\":6},\"TimeStretchProbability\":1,\"TimeStretchRate\":{\"Min\":0.8,\"Max\":1.25},\"PitchShiftProbability\":1,\"PitchShiftSemitones\":{\"Min\":-4,\"Max\":4},";
        Assert.Equal("classic-augmenter/4/" + Start + "\"PitchShiftKeepsFormants\":true," + Rest, a);
        Assert.Equal("classic-augmenter/3/" + Start + Rest, new ClassicAugmenter(new ClassicAugmentationSettings { PitchShiftKeepsEnvelopeProbability = 0 }).Identity);
        Assert.Contains("\"PitchShiftKeepsEnvelopeProbability\":0.25,", new ClassicAugmenter(new ClassicAugmentationSettings { PitchShiftKeepsEnvelopeProbability = 0.25 }).Identity, StringComparison.Ordinal);
    }

    [Fact]
    public void EachCopyEitherKeepsTheEnvelopeOrScalesItWithTheAskedShareAndNothingElseMoves()
    {
        var pitchOnly = new ClassicAugmentationSettings
        {
            GainProbability = 0, TimeStretchProbability = 0, PitchShiftProbability = 1, TimeShiftProbability = 0.5,
            PitchShiftSemitones = new ParameterRange(2, 4),
        };
        var clip = Vowel(140, 16000, 0.5, 700, 1200, 2600);
        var kept = new ClassicAugmenter(pitchOnly with { PitchShiftKeepsEnvelopeProbability = 1 });
        var scaled = new ClassicAugmenter(pitchOnly with { PitchShiftKeepsEnvelopeProbability = 0 });
        var half = new ClassicAugmenter(pitchOnly with { PitchShiftKeepsEnvelopeProbability = 0.5 });
        var keptCount = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var output = half.Augment(clip, seed).Samples;
            var asKept = kept.Augment(clip, seed).Samples;
            var asScaled = scaled.Augment(clip, seed).Samples;
            Assert.NotEqual(asKept, asScaled);

            // The same shift and circular shift as the pure chains: only the kind of shift was chosen.
            Assert.True(output.SequenceEqual(asKept) || output.SequenceEqual(asScaled), $"seed {seed} matches neither chain");
            keptCount += output.SequenceEqual(asKept) ? 1 : 0;
        }

        Assert.InRange(keptCount, 12, 28);
        Assert.Throws<ArgumentException>(() => new ClassicAugmenter(pitchOnly with { PitchShiftKeepsEnvelopeProbability = 1.2 }));
    }

    [Fact]
    public void ClassicAugmenterHandlesEmptyAndTinyClips()
    {
        var everything = new ClassicAugmentationSettings
        {
            GainProbability = 1, TimeStretchProbability = 1, PitchShiftProbability = 1, TimeShiftProbability = 1,
            BackgroundProbability = 1, ReverbProbability = 1, NoiseProbability = 1,
        };
        var filterChoices = new[]
        {
            everything with { LowPassProbability = 1, HighPassProbability = 0, BandPassProbability = 0 },
            everything with { LowPassProbability = 0, HighPassProbability = 1, BandPassProbability = 0 },
            everything with { LowPassProbability = 0, HighPassProbability = 0, BandPassProbability = 1 },
        };
        foreach (var settings in filterChoices)
        {
            var augmenter = new ClassicAugmenter(settings);
            Assert.Equal(0, augmenter.Augment(new AudioBuffer([], 16000), 1).Length);
            var tiny = augmenter.Augment(new AudioBuffer([0.1f, -0.2f, 0.3f], 8000), 1, [new AudioBuffer([0.5f], 16000)]);
            Assert.Equal(3, tiny.Length);
            Assert.All(tiny.Samples, s => Assert.True(float.IsFinite(s)));
        }
    }
}

public class AugmentationSettingsTests
{
    [Fact]
    public void InvalidSettingsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ClassicAugmenter(new ClassicAugmentationSettings { NoiseProbability = 1.5 }));
        Assert.Throws<ArgumentException>(() => new ClassicAugmenter(new ClassicAugmentationSettings { LowPassProbability = 0.5, HighPassProbability = 0.4, BandPassProbability = 0.2 }));
        Assert.Throws<ArgumentException>(() => new ClassicAugmenter(new ClassicAugmentationSettings { FilterOrder = 3 }));
    }

    [Fact]
    public void FiltersKeepTheClipLevelAndAtMostOneRuns()
    {
        // Every clip gets exactly one filter (shares sum to 1) and nothing else: the level must be unchanged.
        var filtersOnly = new ClassicAugmentationSettings
        {
            GainProbability = 0, TimeStretchProbability = 0, PitchShiftProbability = 0, TimeShiftProbability = 0,
            BackgroundProbability = 0, ReverbProbability = 0, NoiseProbability = 0,
            LowPassProbability = 0.34, HighPassProbability = 0.33, BandPassProbability = 0.33,
        };
        var clip = AudioTestSignals.WhiteNoise(16000, 0.5, seed: 6);
        var augmenter = new ClassicAugmenter(filtersOnly);
        for (var seed = 0; seed < 10; seed++)
        {
            var output = augmenter.Augment(clip, seed);
            Assert.Equal(AudioOps.Rms(clip), AudioOps.Rms(output), AudioOps.Rms(clip) * 1e-3);
            Assert.NotEqual(clip.Samples, output.Samples);
        }
    }
}
