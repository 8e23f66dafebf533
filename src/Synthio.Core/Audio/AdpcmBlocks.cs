namespace Synthio.Audio;

/// <summary>
/// What the WAV ADPCM decoders share: output arrays sized from the block count and the fact chunk, the walk
/// over fixed-size blocks (each one self-contained, starting from its own header), and the trim of what a
/// short last block did not fill.
/// </summary>
internal static class AdpcmBlocks
{
    /// <summary>Decodes one block into <paramref name="output"/> from frame <paramref name="at"/>, at most <paramref name="limit"/> frames; returns how many it wrote.</summary>
    public delegate int BlockDecoder(ReadOnlySpan<byte> block, short[][] output, int at, int limit);

    public static short[][] Decode(ReadOnlySpan<byte> data, int channels, int blockAlign, int framesPerBlock, int headerBytes, int? frames, BlockDecoder decodeBlock)
    {
        var blocks = (data.Length + blockAlign - 1) / blockAlign;
        var capacity = (long)blocks * framesPerBlock;
        var total = (int)Math.Min(frames is { } f && f >= 0 ? Math.Min(f, capacity) : capacity, int.MaxValue);
        var output = new short[channels][];
        for (var c = 0; c < channels; c++)
        {
            output[c] = new short[total];
        }

        var written = 0;
        for (var b = 0; b < blocks && written < total; b++)
        {
            var block = data.Slice(b * blockAlign, Math.Min(blockAlign, data.Length - (b * blockAlign)));
            if (block.Length < headerBytes)
            {
                break; // not even a header: nothing more to decode
            }

            written += decodeBlock(block, output, written, Math.Min(framesPerBlock, total - written));
        }

        if (written < total)
        {
            for (var c = 0; c < channels; c++)
            {
                Array.Resize(ref output[c], written);
            }
        }

        return output;
    }
}
