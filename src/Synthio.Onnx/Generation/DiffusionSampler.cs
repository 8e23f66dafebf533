namespace Synthio.Onnx.Generation;

/// <summary>What the denoiser's output means.</summary>
public enum PredictionType
{
    /// <summary>The noise ε in x_t = α·x0 + σ·ε.</summary>
    Epsilon,

    /// <summary>The velocity v = α·ε − σ·x0.</summary>
    V,
}

/// <summary>The deterministic samplers a bundle can run.</summary>
public enum SamplerKind
{
    /// <summary>DDIM with η = 0 (Song et al. 2021): first order.</summary>
    Ddim,

    /// <summary>DPM-Solver++(2M) (Lu et al. 2022): multistep second order in data prediction, first order on the last step.</summary>
    DpmSolverPlusPlus2M,
}

/// <summary>
/// Walks a <see cref="NoiseSchedule"/> path from noise to a clean latent. The model callback returns the
/// (already guided) denoiser output for the current latent at a path point; everything here is in double
/// precision on flat arrays so it is independent of the runtime.
/// </summary>
public static class DiffusionSampler
{
    /// <summary>Denoiser output for latent <c>x</c> at <c>point</c>, written into <c>output</c> (same length as x).</summary>
    public delegate void Denoiser(ReadOnlySpan<float> x, SchedulePoint point, Span<float> output);

    /// <summary>Runs the sampler and returns the final (clean) latent; <paramref name="latent"/> holds the initial noise and is overwritten.</summary>
    public static float[] Sample(
        float[] latent,
        IReadOnlyList<SchedulePoint> path,
        PredictionType prediction,
        SamplerKind kind,
        Denoiser denoiser,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(latent);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(denoiser);
        if (path.Count < 2 || !path[^1].IsClean)
        {
            throw new ArgumentException("A sampling path ends at the clean point and has at least one step.", nameof(path));
        }

        var n = latent.Length;
        var x = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = latent[i];
        }

        var input = new float[n];
        var output = new float[n];
        var dataPrediction = new double[n];
        var noisePrediction = new double[n];
        var previousData = new double[n];
        double? previousStep = null; // h of the previous step, for the second-order correction

        for (var step = 0; step < path.Count - 1; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = path[step];
            var to = path[step + 1];
            for (var i = 0; i < n; i++)
            {
                input[i] = (float)x[i];
            }

            denoiser(input, from, output);
            for (var i = 0; i < n; i++)
            {
                (dataPrediction[i], noisePrediction[i]) = Convert(prediction, x[i], output[i], from);
            }

            if (kind == SamplerKind.Ddim)
            {
                for (var i = 0; i < n; i++)
                {
                    x[i] = to.Alpha * dataPrediction[i] + to.Sigma * noisePrediction[i];
                }
            }
            else if (to.IsClean)
            {
                // λ → ∞: the update reduces to the (first-order) data prediction.
                Array.Copy(dataPrediction, x, n);
            }
            else
            {
                var h = Lambda(to) - Lambda(from);
                var decay = to.Sigma / from.Sigma;
                var gain = -to.Alpha * (Math.Exp(-h) - 1);
                if (previousStep is double hPrevious)
                {
                    var r = hPrevious / h;
                    var current = 1 + 1 / (2 * r);
                    var past = 1 / (2 * r);
                    for (var i = 0; i < n; i++)
                    {
                        x[i] = decay * x[i] + gain * (current * dataPrediction[i] - past * previousData[i]);
                    }
                }
                else
                {
                    for (var i = 0; i < n; i++)
                    {
                        x[i] = decay * x[i] + gain * dataPrediction[i];
                    }
                }

                previousStep = h;
                Array.Copy(dataPrediction, previousData, n);
            }
        }

        for (var i = 0; i < n; i++)
        {
            latent[i] = (float)x[i];
        }

        return latent;
    }

    /// <summary>(x0, ε) from a denoiser output at a point with α² + σ² = 1.</summary>
    public static (double Data, double Noise) Convert(PredictionType prediction, double x, double output, SchedulePoint point) =>
        prediction switch
        {
            PredictionType.Epsilon => ((x - point.Sigma * output) / point.Alpha, output),
            _ => (point.Alpha * x - point.Sigma * output, point.Sigma * x + point.Alpha * output),
        };

    private static double Lambda(SchedulePoint point) => Math.Log(point.Alpha / point.Sigma);
}
