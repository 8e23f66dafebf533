namespace Synthio.Audio;

/// <summary>
/// Decodes Microsoft ADPCM as WAV files carry it (format tag 0x02): blocks that each start, per channel, with a
/// predictor index, a step and two 16-bit samples, followed by 4-bit codes (high nibble first; in stereo the
/// high nibble is the left channel's). The predictor pairs come from the file's fmt chunk.
/// </summary>
internal static class MsAdpcmDecoder
{
    private static readonly int[] Adaptation = [230, 230, 230, 230, 307, 409, 512, 614, 768, 614, 512, 409, 307, 230, 230, 230];

    /// <summary>Samples a block of <paramref name="blockAlign"/> bytes holds per channel.</summary>
    public static int SamplesPerBlock(int blockAlign, int channels) => ((blockAlign - (7 * channels)) * 2 / channels) + 2;

    /// <summary>
    /// Decodes <paramref name="data"/> into one array per channel of 16-bit values, with the predictor pairs
    /// <paramref name="coefficients"/> (coef1, coef2 for each index). A last, shorter block decodes as far as it
    /// goes; <paramref name="frames"/> (from the fact chunk, when the file has one) trims the end.
    /// </summary>
    public static short[][] Decode(ReadOnlySpan<byte> data, int channels, int blockAlign, IReadOnlyList<(int First, int Second)> coefficients, int? frames) =>
        AdpcmBlocks.Decode(data, channels, blockAlign, SamplesPerBlock(blockAlign, channels), 7 * channels, frames, (block, output, at, limit) =>
        {
            var first = new int[channels];
            var second = new int[channels];
            var delta = new int[channels];
            var sample1 = new int[channels];
            var sample2 = new int[channels];

            // The header's fields run channel by channel within each field: predictors, steps, sample 1s, sample 2s.
            for (var c = 0; c < channels; c++)
            {
                (first[c], second[c]) = coefficients[Math.Min(block[c], coefficients.Count - 1)];
                delta[c] = Int16(block, channels + (2 * c));
                sample1[c] = Int16(block, (3 * channels) + (2 * c));
                sample2[c] = Int16(block, (5 * channels) + (2 * c));
            }

            // The two header samples come out oldest first.
            var done = 0;
            for (; done < 2 && done < limit; done++)
            {
                for (var c = 0; c < channels; c++)
                {
                    output[c][at + done] = (short)(done == 0 ? sample2[c] : sample1[c]);
                }
            }

            var channel = 0;
            for (var position = 7 * channels; position < block.Length && done < limit; position++)
            {
                for (var half = 0; half < 2 && done < limit; half++)
                {
                    var nibble = half == 0 ? block[position] >> 4 : block[position] & 0x0F;
                    var predicted = ((sample1[channel] * first[channel]) + (sample2[channel] * second[channel])) >> 8;
                    var value = Math.Clamp(predicted + ((nibble >= 8 ? nibble - 16 : nibble) * delta[channel]), short.MinValue, short.MaxValue);
                    sample2[channel] = sample1[channel];
                    sample1[channel] = value;
                    delta[channel] = Math.Max(16, (Adaptation[nibble] * delta[channel]) >> 8);
                    output[channel][at + done] = (short)value;
                    if (++channel == channels)
                    {
                        channel = 0;
                        done++;
                    }
                }
            }

            return done;
        });

    private static int Int16(ReadOnlySpan<byte> block, int at) => (short)(block[at] | (block[at + 1] << 8));
}
