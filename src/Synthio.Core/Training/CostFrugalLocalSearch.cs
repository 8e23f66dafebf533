namespace Synthio.Training;

/// <summary>
/// Cost-frugal local search (CFO, as in FLAML) over one trainer's normalised hyper-parameter space:
/// start at the cheap corner, probe a random direction and its opposite, move on improvement and grow
/// the step ×1.5, shrink the step after 2·d consecutive failed probes, restart from a perturbed start
/// when the step has become too small to change anything.
/// </summary>
internal sealed class CostFrugalLocalSearch
{
    private const double InitialStep = 0.1;
    private const double MaximumStep = 0.5;
    private const double MinimumStep = 0.002;
    private const double ShrinkFactor = 0.5;
    private const double GrowFactor = 1.5;

    private readonly IReadOnlyList<HyperParameter> _space;
    private readonly Random _random;
    private readonly double[] _origin;
    private readonly double[] _start;
    private double[]? _incumbent;
    private double _incumbentLoss = double.PositiveInfinity;
    private double[]? _direction;
    private bool _probingOpposite;
    private double[]? _pending;
    private int _failures;

    public CostFrugalLocalSearch(IReadOnlyList<HyperParameter> space, int seed)
    {
        _space = space;
        _random = new Random(seed);
        _origin = space.Select(p => p.Normalise(p.Initial)).ToArray();
        _start = (double[])_origin.Clone();
        Step = InitialStep * Math.Sqrt(space.Count);
    }

    public double Step { get; private set; }

    public int Restarts { get; private set; }

    /// <summary>The next point to evaluate, as parameter values.</summary>
    public IReadOnlyDictionary<string, double> Propose()
    {
        if (_incumbent is null)
        {
            _pending = (double[])_start.Clone();
        }
        else if (_probingOpposite && _direction is not null)
        {
            _pending = Move(_incumbent, _direction, -Step);
        }
        else
        {
            _direction = RandomUnitVector();
            _probingOpposite = false;
            _pending = Move(_incumbent, _direction, Step);
        }

        return ToValues(_pending);
    }

    /// <summary>Feeds back the loss of the last proposal (∞ for a failed trial).</summary>
    public void Tell(double loss)
    {
        if (_pending is null)
        {
            throw new InvalidOperationException("Tell called without a proposal.");
        }

        var point = _pending;
        _pending = null;
        if (_incumbent is null)
        {
            _incumbent = point;
            _incumbentLoss = loss;
            return;
        }

        if (loss < _incumbentLoss)
        {
            _incumbent = point;
            _incumbentLoss = loss;
            _probingOpposite = false;
            _failures = 0;
            Step = Math.Min(MaximumStep * Math.Sqrt(_space.Count), Step * GrowFactor);
            return;
        }

        if (!_probingOpposite)
        {
            _probingOpposite = true;
            return;
        }

        // Both directions failed: one failed probe.
        _probingOpposite = false;
        _failures++;
        if (_failures >= 2 * _space.Count)
        {
            _failures = 0;
            Step *= ShrinkFactor;
        }

        if (Step < MinimumStep)
        {
            Restart();
        }
    }

    private void Restart()
    {
        // A new local search from a random perturbation of the cheap start; the trainer's best so far is kept by the caller.
        Restarts++;
        // Perturbed around the original cheap start, so restarts stay in the cheap region rather than drifting.
        var perturbed = _origin.Select(x => Math.Clamp(x + ((_random.NextDouble() - 0.5) * 0.4), 0, 1)).ToArray();
        _incumbent = null;
        _incumbentLoss = double.PositiveInfinity;
        Array.Copy(perturbed, _start, _start.Length);
        Step = InitialStep * Math.Sqrt(_space.Count);
        _failures = 0;
        _probingOpposite = false;
    }

    private double[] RandomUnitVector()
    {
        var v = new double[_space.Count];
        double norm;
        do
        {
            for (var i = 0; i < v.Length; i++)
            {
                // Box–Muller normal samples give a direction uniform on the sphere.
                var u1 = 1.0 - _random.NextDouble();
                var u2 = _random.NextDouble();
                v[i] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }

            norm = Math.Sqrt(v.Sum(x => x * x));
        }
        while (norm < 1e-12);

        for (var i = 0; i < v.Length; i++)
        {
            v[i] /= norm;
        }

        return v;
    }

    private static double[] Move(double[] from, double[] direction, double step)
    {
        var result = new double[from.Length];
        for (var i = 0; i < from.Length; i++)
        {
            result[i] = Math.Clamp(from[i] + (step * direction[i]), 0, 1);
        }

        return result;
    }

    private Dictionary<string, double> ToValues(double[] point)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < _space.Count; i++)
        {
            values[_space[i].Name] = _space[i].Denormalise(point[i]);
        }

        return values;
    }
}
