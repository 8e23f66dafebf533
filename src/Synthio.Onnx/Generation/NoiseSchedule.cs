namespace Synthio.Onnx.Generation;

/// <summary>One point on the sampling path: what the denoiser is told (<see cref="ModelTime"/>) and x_t = α·x0 + σ·ε.</summary>
public readonly record struct SchedulePoint(double ModelTime, double Alpha, double Sigma)
{
    /// <summary>The clean end of the path (α = 1, σ = 0), where sampling stops.</summary>
    public static SchedulePoint Clean { get; } = new(0, 1, 0);

    public bool IsClean => Sigma == 0;
}

/// <summary>The kinds of variance-preserving noise schedule a bundle can name.</summary>
public enum NoiseScheduleKind
{
    /// <summary>Discrete: β linear in √β between betaStart and betaEnd (Stable Diffusion / AudioLDM).</summary>
    ScaledLinear,

    /// <summary>Discrete: β linear between betaStart and betaEnd (DDPM).</summary>
    Linear,

    /// <summary>Discrete: ᾱ(t) = cos²(((t/T)+0.008)/1.008 · π/2), β capped at 0.999 ("squaredcos_cap_v2").</summary>
    Cosine,

    /// <summary>Continuous t ∈ [0, 1]: α = cos(πt/2), σ = sin(πt/2) (v-diffusion, Stable Audio).</summary>
    ContinuousCosine,
}

/// <summary>
/// A variance-preserving schedule (α² + σ² = 1) and the path a sampler walks on it: <c>steps</c> model
/// evaluations from the noisiest point down, then the clean end.
/// </summary>
public sealed class NoiseSchedule
{
    private readonly double[]? _alphasCumprod;

    public NoiseSchedule(NoiseScheduleKind kind, int trainSteps = 1000, double betaStart = 0.00085, double betaEnd = 0.012, double maxTime = 1.0, double timeScale = 1.0)
    {
        Kind = kind;
        TrainSteps = trainSteps;
        MaxTime = maxTime;
        TimeScale = timeScale;
        if (kind == NoiseScheduleKind.ContinuousCosine)
        {
            if (maxTime <= 0 || maxTime > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maxTime), maxTime, "A continuous schedule runs on t in (0, 1].");
            }

            return;
        }

        if (trainSteps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(trainSteps), trainSteps, "A discrete schedule needs at least 2 training steps.");
        }

        var betas = new double[trainSteps];
        for (var i = 0; i < trainSteps; i++)
        {
            var fraction = (double)i / (trainSteps - 1);
            betas[i] = kind switch
            {
                NoiseScheduleKind.ScaledLinear => Math.Pow(Math.Sqrt(betaStart) + fraction * (Math.Sqrt(betaEnd) - Math.Sqrt(betaStart)), 2),
                NoiseScheduleKind.Linear => betaStart + fraction * (betaEnd - betaStart),
                _ => Math.Min(1 - CosineAlphaBar((i + 1.0) / trainSteps) / CosineAlphaBar((double)i / trainSteps), 0.999),
            };
        }

        _alphasCumprod = new double[trainSteps];
        var product = 1.0;
        for (var i = 0; i < trainSteps; i++)
        {
            product *= 1 - betas[i];
            _alphasCumprod[i] = product;
        }
    }

    public NoiseScheduleKind Kind { get; }

    public int TrainSteps { get; }

    public double MaxTime { get; }

    /// <summary>Multiplier from t to what a continuous-time denoiser receives (some take 1000·t).</summary>
    public double TimeScale { get; }

    /// <summary>ᾱ at discrete training step <paramref name="step"/>.</summary>
    public double AlphaCumprod(int step) =>
        _alphasCumprod?[step] ?? throw new InvalidOperationException("A continuous schedule has no discrete steps.");

    /// <summary>
    /// The sampling path: <paramref name="steps"/> points where the denoiser runs, from the noisiest down, then
    /// <see cref="SchedulePoint.Clean"/>. Discrete schedules use round((T−1)(1 − i/steps)); continuous ones
    /// t = maxTime·(1 − i/steps).
    /// </summary>
    public IReadOnlyList<SchedulePoint> Path(int steps)
    {
        if (steps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "At least one step.");
        }

        var points = new List<SchedulePoint>(steps + 1);
        if (_alphasCumprod is null)
        {
            for (var i = 0; i < steps; i++)
            {
                var t = MaxTime * (1 - (double)i / steps);
                points.Add(new SchedulePoint(t * TimeScale, Math.Cos(Math.PI / 2 * t), Math.Sin(Math.PI / 2 * t)));
            }
        }
        else
        {
            if (steps > TrainSteps)
            {
                throw new ArgumentOutOfRangeException(nameof(steps), steps, $"At most {TrainSteps} steps on this schedule.");
            }

            for (var i = 0; i < steps; i++)
            {
                var step = (int)Math.Round((TrainSteps - 1) * (1 - (double)i / steps));
                var alphaBar = _alphasCumprod[step];
                points.Add(new SchedulePoint(step, Math.Sqrt(alphaBar), Math.Sqrt(1 - alphaBar)));
            }
        }

        points.Add(SchedulePoint.Clean);
        return points;
    }

    private static double CosineAlphaBar(double t) => Math.Pow(Math.Cos((t + 0.008) / 1.008 * Math.PI / 2), 2);
}
