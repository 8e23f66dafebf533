using Synthio.Audio;

namespace Synthio.Core.Tests;

public class AudioFftTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(512)]
    public void ComplexTransformMatchesTheDirectSum(int size)
    {
        var rng = new Random(size);
        var re = Enumerable.Range(0, size).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var im = Enumerable.Range(0, size).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var (expectedRe, expectedIm) = DirectDft(re, im);
        var plan = FftPlan.Get(size);
        var outRe = (float[])re.Clone();
        var outIm = (float[])im.Clone();
        plan.Forward(outRe, outIm);
        for (var k = 0; k < size; k++)
        {
            Assert.Equal(expectedRe[k], outRe[k], 3e-4 * size);
            Assert.Equal(expectedIm[k], outIm[k], 3e-4 * size);
        }

        plan.Inverse(outRe, outIm);
        for (var k = 0; k < size; k++)
        {
            Assert.Equal(re[k], outRe[k], 1e-5);
            Assert.Equal(im[k], outIm[k], 1e-5);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(512)]
    public void RealTransformAndPowerSpectrumMatchTheDirectSum(int size)
    {
        var rng = new Random(7 * size);
        var x = Enumerable.Range(0, size).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var (expectedRe, expectedIm) = DirectDft(x, new float[size]);
        var plan = FftPlan.Get(size);
        var re = new float[(size / 2) + 1];
        var im = new float[(size / 2) + 1];
        plan.ForwardReal(x, re, im, new float[size]);
        var power = new float[(size / 2) + 1];
        plan.PowerSpectrum(x, power, new float[(2 * size) + 2]);
        for (var k = 0; k <= size / 2; k++)
        {
            Assert.Equal(expectedRe[k], re[k], 3e-4 * size);
            Assert.Equal(expectedIm[k], im[k], 3e-4 * size);
            var expectedPower = (expectedRe[k] * expectedRe[k]) + (expectedIm[k] * expectedIm[k]);
            Assert.Equal(expectedPower, power[k], 1e-3 * size);
        }
    }

    [Fact]
    public void SizesThatAreNotPowersOfTwoAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FftPlan.Get(12));
        Assert.Throws<ArgumentOutOfRangeException>(() => FftPlan.Get(1));
    }

    private static (double[] Re, double[] Im) DirectDft(float[] re, float[] im)
    {
        var n = re.Length;
        var outRe = new double[n];
        var outIm = new double[n];
        for (var k = 0; k < n; k++)
        {
            for (var t = 0; t < n; t++)
            {
                var angle = -2 * Math.PI * k * t / n;
                outRe[k] += (re[t] * Math.Cos(angle)) - (im[t] * Math.Sin(angle));
                outIm[k] += (re[t] * Math.Sin(angle)) + (im[t] * Math.Cos(angle));
            }
        }

        return (outRe, outIm);
    }
}
