namespace Synthio.Training;

/// <summary>
/// Assigns folds for cross-validation without leakage: folds are drawn over the gold examples only,
/// stratified by label; a synthetic example never validates, and it joins a fold's training part only
/// when every gold clip it was made from is in that training part too. Gold examples of one label and
/// group (<see cref="TrainingExample.Group"/>) share a fold, unless the label has only one group.
/// </summary>
public sealed class CrossValidationFolds
{
    private readonly int[][] _train;
    private readonly int[][] _validation;
    private readonly Dictionary<string, int> _foldOfGold;

    private CrossValidationFolds(int count, Dictionary<string, int> foldOfGold, int[][] train, int[][] validation)
    {
        FoldCount = count;
        _foldOfGold = foldOfGold;
        _train = train;
        _validation = validation;
    }

    public int FoldCount { get; }

    /// <summary>The fold whose validation part holds the gold example <paramref name="id"/>, or -1 if it is not gold.</summary>
    public int FoldOf(string id) => _foldOfGold.TryGetValue(id, out var fold) ? fold : -1;

    /// <summary>Indices (into the data passed to <see cref="Assign"/>) that train fold <paramref name="fold"/>.</summary>
    public IReadOnlyList<int> TrainIndices(int fold) => _train[fold];

    /// <summary>Indices that validate fold <paramref name="fold"/>: gold examples only.</summary>
    public IReadOnlyList<int> ValidationIndices(int fold) => _validation[fold];

    /// <summary>
    /// The number of folds actually used: the requested count, lowered so each label's gold examples can
    /// spread over the folds, never below 2.
    /// </summary>
    public static int EffectiveFoldCount(IReadOnlyList<TrainingExample> data, int requested)
    {
        var smallest = data.Where(e => !e.IsSynthetic)
            .GroupBy(e => e.Label, StringComparer.Ordinal)
            .Select(g => g.Count())
            .DefaultIfEmpty(0)
            .Min();
        return Math.Max(2, Math.Min(requested, smallest));
    }

    /// <summary>Seeded, stratified assignment; the same data, count and seed always give the same folds.</summary>
    public static CrossValidationFolds Assign(IReadOnlyList<TrainingExample> data, int requestedFolds, int seed)
    {
        var count = EffectiveFoldCount(data, requestedFolds);
        var random = new Random(seed);
        var foldOfGold = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = 0;

        // Labels in ordinal order and examples in id order make the assignment independent of input order.
        var goldByLabel = data.Where(e => !e.IsSynthetic)
            .GroupBy(e => e.Label, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in goldByLabel)
        {
            // Units move between folds whole: a group's examples, or one example. Without groups every unit is
            // one id and the assignment is the plain stratified one.
            var units = group.GroupBy(e => e.Group ?? "\0" + e.Id, StringComparer.Ordinal)
                .Select(u => u.Select(e => e.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray())
                .ToArray();
            if (units.Length < 2)
            {
                // One group holds the whole label: split it by example, or the label could never be validated.
                units = units.SelectMany(u => u).Select(id => new[] { id }).ToArray();
            }

            units = units.OrderBy(u => u[0], StringComparer.Ordinal).ToArray();
            random.Shuffle(units);
            foreach (var unit in units)
            {
                // Round robin continued across labels keeps fold sizes within one of each other (within one
                // group's size, with groups).
                foreach (var id in unit)
                {
                    foldOfGold[id] = next;
                }

                next = (next + 1) % count;
            }
        }

        var train = new List<int>[count];
        var validation = new List<int>[count];
        for (var f = 0; f < count; f++)
        {
            train[f] = new List<int>();
            validation[f] = new List<int>();
        }

        for (var i = 0; i < data.Count; i++)
        {
            var example = data[i];
            if (!example.IsSynthetic)
            {
                var own = foldOfGold[example.Id];
                for (var f = 0; f < count; f++)
                {
                    (f == own ? validation[f] : train[f]).Add(i);
                }

                continue;
            }

            for (var f = 0; f < count; f++)
            {
                // A child whose parents include a clip validated in fold f would leak that clip into training.
                var leaks = example.SourceIds.Any(source => foldOfGold.TryGetValue(source, out var sourceFold) && sourceFold == f);
                if (!leaks)
                {
                    train[f].Add(i);
                }
            }
        }

        return new CrossValidationFolds(count, foldOfGold, train.Select(l => l.ToArray()).ToArray(), validation.Select(l => l.ToArray()).ToArray());
    }
}
