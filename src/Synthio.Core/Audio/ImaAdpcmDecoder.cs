namespace Synthio.Audio;

/// <summary>
/// Decodes IMA ADPCM as WAV files carry it (format tag 0x11, the 4-bit coding of voice recorders and small
/// devices): blocks that each start, per channel, with a 16-bit sample and a step index, followed by the
/// channels' nibbles interleaved four bytes at a time, low nibble first.
/// </summary>
internal static class ImaAdpcmDecoder
{
    private static readonly int[] IndexStep = [-1, -1, -1, -1, 2, 4, 6, 8, -1, -1, -1, -1, 2, 4, 6, 8];

    private static readonly int[] StepSize =
    [
        7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97,
        107, 118, 130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724,
        796, 876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026,
        4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500,
        20350, 22385, 24623, 27086, 29794, 32767,
    ];

    /// <summary>Samples a block of <paramref name="blockAlign"/> bytes holds per channel.</summary>
    public static int SamplesPerBlock(int blockAlign, int channels) => ((blockAlign - (4 * channels)) * 2 / channels) + 1;

    /// <summary>
    /// Decodes <paramref name="data"/> into one array per channel of 16-bit values. A last, shorter block decodes
    /// as far as it goes; <paramref name="frames"/> (from the file's fact chunk, when it has one) trims the end.
    /// </summary>
    public static short[][] Decode(ReadOnlySpan<byte> data, int channels, int blockAlign, int? frames) =>
        AdpcmBlocks.Decode(data, channels, blockAlign, SamplesPerBlock(blockAlign, channels), 4 * channels, frames, (block, output, at, limit) =>
        {
            var predictor = new int[channels];
            var index = new int[channels];
            for (var c = 0; c < channels; c++)
            {
                predictor[c] = (short)(block[4 * c] | (block[(4 * c) + 1] << 8));
                index[c] = Math.Clamp((int)block[(4 * c) + 2], 0, StepSize.Length - 1);
                output[c][at] = (short)predictor[c];
            }

            // After the headers, each channel's next 8 samples sit in 4 consecutive bytes.
            var done = 1;
            for (var position = 4 * channels; done < limit && position + (4 * channels) <= block.Length; position += 4 * channels)
            {
                var count = Math.Min(8, limit - done);
                for (var c = 0; c < channels; c++)
                {
                    for (var k = 0; k < count; k++)
                    {
                        var value = block[position + (4 * c) + (k / 2)];
                        output[c][at + done + k] = Step(ref predictor[c], ref index[c], (k & 1) == 0 ? value & 0x0F : value >> 4);
                    }
                }

                done += count;
            }

            return done;
        });

    private static short Step(ref int predictor, ref int index, int nibble)
    {
        var step = StepSize[index];
        var difference = step >> 3;
        if ((nibble & 1) != 0)
        {
            difference += step >> 2;
        }

        if ((nibble & 2) != 0)
        {
            difference += step >> 1;
        }

        if ((nibble & 4) != 0)
        {
            difference += step;
        }

        predictor = Math.Clamp((nibble & 8) != 0 ? predictor - difference : predictor + difference, short.MinValue, short.MaxValue);
        index = Math.Clamp(index + IndexStep[nibble], 0, StepSize.Length - 1);
        return (short)predictor;
    }
}
