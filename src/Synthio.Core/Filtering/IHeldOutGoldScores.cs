namespace Synthio.Filtering;

/// <summary>
/// A scorer fitted on the gold clips that can say what it gives a label's own clips when they are left out of
/// its fit. Scoring the gold clips directly would flatter it: it has seen them.
/// </summary>
public interface IHeldOutGoldScores
{
    IReadOnlyList<double> HeldOutGoldScores(string label);
}
