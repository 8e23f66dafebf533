namespace Synthio.Training;

/// <summary>
/// One tunable hyper-parameter of a trainer. The search works in a normalised space where every
/// parameter runs from 0 to 1 (on a log scale when <see cref="LogScale"/>), so one step size fits all.
/// </summary>
public sealed record HyperParameter(string Name, double Minimum, double Maximum, double Initial, bool LogScale, bool IsInteger)
{
    /// <summary>Maps a value to [0, 1].</summary>
    public double Normalise(double value)
    {
        var v = Math.Clamp(value, Minimum, Maximum);
        if (Maximum <= Minimum)
        {
            return 0;
        }

        return LogScale
            ? (Math.Log(v) - Math.Log(Minimum)) / (Math.Log(Maximum) - Math.Log(Minimum))
            : (v - Minimum) / (Maximum - Minimum);
    }

    /// <summary>Maps a point of [0, 1] back to a value, rounded for integer parameters.</summary>
    public double Denormalise(double unit)
    {
        var u = Math.Clamp(unit, 0, 1);
        var value = LogScale
            ? Math.Exp(Math.Log(Minimum) + (u * (Math.Log(Maximum) - Math.Log(Minimum))))
            : Minimum + (u * (Maximum - Minimum));
        value = Math.Clamp(value, Minimum, Maximum);
        return IsInteger ? Math.Round(value, MidpointRounding.AwayFromZero) : RoundSignificant(value);
    }

    // Six significant digits keep logged parameters readable and make equal configurations compare equal.
    private static double RoundSignificant(double value)
    {
        if (value == 0)
        {
            return 0;
        }

        var digits = 6 - (int)Math.Floor(Math.Log10(Math.Abs(value))) - 1;
        return digits is >= 0 and <= 15 ? Math.Round(value, digits) : value;
    }
}
