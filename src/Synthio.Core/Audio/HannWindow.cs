namespace Synthio.Audio;

/// <summary>The window the engine's short-time analyses share.</summary>
public static class HannWindow
{
    /// <summary>
    /// The periodic Hann window of <paramref name="length"/> points, w[i] = ½ − ½·cos(2πi / length): shifted by a
    /// quarter of its length it overlap-adds to a constant, which the analysis-resynthesis transforms rely on.
    /// </summary>
    public static float[] Periodic(int length)
    {
        var window = new float[length];
        for (var i = 0; i < length; i++)
        {
            window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / length)));
        }

        return window;
    }
}
