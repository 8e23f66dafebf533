using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Synthio.Training;

/// <summary>What the search knows about the data before it starts: sizes that set ranges, start points and costs.</summary>
public sealed record TrainingDataProfile(int ExampleCount, int FeatureCount, int ClassCount, int SmallestLabelCount);

/// <summary>
/// One ML.NET multiclass trainer the search may pick: its hyper-parameter space, a cheap starting point
/// and a deterministic cost estimate (the search ranks trainers by cost estimates, not by wall time, so a
/// seeded run proposes the same trials on a busy machine as on an idle one).
/// </summary>
public abstract class TrainerCandidate
{
    /// <summary>The names the search and the options use.</summary>
    public const string LightGbmName = "LightGbm";
    public const string FastTreeName = "FastTreeOva";
    public const string FastForestName = "FastForestOva";
    public const string LbfgsName = "LbfgsMaximumEntropy";
    public const string SdcaName = "SdcaMaximumEntropy";

    public abstract string Name { get; }

    /// <summary>
    /// A linear model (on normalised features): the search keeps the best of these unless a non-linear
    /// trainer beats it by more than one standard error.
    /// </summary>
    public virtual bool IsLinear => false;

    /// <summary>The space to search; starting values are the cheap corner, adapted to the data's size.</summary>
    public abstract IReadOnlyList<HyperParameter> Space(TrainingDataProfile profile);

    /// <summary>
    /// Builds the trainer (with any normalisation it needs) reading "Label" keys and "Features", and each example's
    /// weight from <paramref name="weightColumn"/> when one is given.
    /// </summary>
    public abstract IEstimator<ITransformer> Build(MLContext context, IReadOnlyDictionary<string, double> parameters, int seed, string? weightColumn = null);

    /// <summary>
    /// Estimated seconds for one fit on <paramref name="profile"/> (single thread); only ratios between
    /// trials matter. Constants were fitted to timings on ESC-10 features (40 and 210 values, 10 labels)
    /// at 16 and 256 training examples per fold; tree trainers pay a per-feature binning cost per fit.
    /// </summary>
    public abstract double EstimateCost(IReadOnlyDictionary<string, double> parameters, TrainingDataProfile profile);

    /// <summary>Every candidate, in the order the search tries them when their costs tie.</summary>
    public static IReadOnlyList<TrainerCandidate> All { get; } = new TrainerCandidate[]
    {
        new LightGbmCandidate(),
        new LbfgsCandidate(),
        new SdcaCandidate(),
        new FastTreeCandidate(),
        new FastForestCandidate(),
    };

    public static TrainerCandidate? Find(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    protected static int Int(IReadOnlyDictionary<string, double> p, string name) => (int)Math.Round(p[name]);

    protected static float Float(IReadOnlyDictionary<string, double> p, string name) => (float)p[name];

    // Work of one pass over the data, in units of a million feature reads.
    protected static double DataWork(TrainingDataProfile profile) => profile.ExampleCount * (double)Math.Max(1, profile.FeatureCount) / 1e6;

    /// <summary>A leaf must fit in the training part of a fold even at the smallest sizes (min 2 per leaf at n ≤ 5).</summary>
    protected static double StartingLeafSize(TrainingDataProfile profile) => Math.Clamp(Math.Round(profile.SmallestLabelCount / 2.0), 2, 20);

    protected static double MaximumLeafSize(TrainingDataProfile profile) => Math.Max(4, Math.Min(64, profile.ExampleCount / 2));
}

internal sealed class LightGbmCandidate : TrainerCandidate
{
    public override string Name => LightGbmName;

    public override IReadOnlyList<HyperParameter> Space(TrainingDataProfile profile) => new[]
    {
        new HyperParameter("NumberOfIterations", 4, 1000, 20, LogScale: true, IsInteger: true),
        new HyperParameter("NumberOfLeaves", 2, 256, 4, LogScale: true, IsInteger: true),
        new HyperParameter("MinimumExampleCountPerLeaf", 1, MaximumLeafSize(profile), StartingLeafSize(profile), LogScale: true, IsInteger: true),
        new HyperParameter("LearningRate", 1.0 / 256, 1, 0.1, LogScale: true, IsInteger: false),
        new HyperParameter("FeatureFraction", 0.1, 1, 1, LogScale: false, IsInteger: false),
        new HyperParameter("L2Regularization", 1.0 / 1024, 1024, 1, LogScale: true, IsInteger: false),
    };

    public override IEstimator<ITransformer> Build(MLContext context, IReadOnlyDictionary<string, double> p, int seed, string? weightColumn = null)
    {
        var options = new LightGbmMulticlassTrainer.Options
        {
            LabelColumnName = MulticlassData.LabelKey,
            FeatureColumnName = MulticlassData.Features,
            ExampleWeightColumnName = weightColumn,
            NumberOfIterations = Int(p, "NumberOfIterations"),
            NumberOfLeaves = Int(p, "NumberOfLeaves"),
            MinimumExampleCountPerLeaf = Int(p, "MinimumExampleCountPerLeaf"),
            // LightGbm also refuses to split groups and bins below its own minimums; tiny data needs them at 1.
            MinimumExampleCountPerGroup = 1,
            LearningRate = p["LearningRate"],
            Seed = seed,
            NumberOfThreads = 1,
            Silent = true,
            Verbose = false,
            Booster = new GradientBooster.Options
            {
                FeatureFraction = p["FeatureFraction"],
                L2Regularization = p["L2Regularization"],
                MinimumChildWeight = 1e-3,
            },
        };
        return context.MulticlassClassification.Trainers.LightGbm(options);
    }

    public override double EstimateCost(IReadOnlyDictionary<string, double> p, TrainingDataProfile profile) =>
        0.03 + (0.0005 * profile.FeatureCount) + (p["NumberOfIterations"] * profile.ClassCount * ((DataWork(profile) * 0.086 * p["FeatureFraction"]) + (p["NumberOfLeaves"] * 5.5e-5)));
}

internal sealed class FastTreeCandidate : TrainerCandidate
{
    public override string Name => FastTreeName;

    public override IReadOnlyList<HyperParameter> Space(TrainingDataProfile profile) => new[]
    {
        new HyperParameter("NumberOfTrees", 4, 500, 10, LogScale: true, IsInteger: true),
        new HyperParameter("NumberOfLeaves", 2, 128, 4, LogScale: true, IsInteger: true),
        new HyperParameter("MinimumExampleCountPerLeaf", 1, MaximumLeafSize(profile), StartingLeafSize(profile), LogScale: true, IsInteger: true),
        new HyperParameter("LearningRate", 0.01, 1, 0.2, LogScale: true, IsInteger: false),
    };

    public override IEstimator<ITransformer> Build(MLContext context, IReadOnlyDictionary<string, double> p, int seed, string? weightColumn = null)
    {
        var binary = context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = MulticlassData.LabelKey,
            FeatureColumnName = MulticlassData.Features,
            ExampleWeightColumnName = weightColumn,
            NumberOfTrees = Int(p, "NumberOfTrees"),
            NumberOfLeaves = Int(p, "NumberOfLeaves"),
            MinimumExampleCountPerLeaf = Int(p, "MinimumExampleCountPerLeaf"),
            LearningRate = p["LearningRate"],
            Seed = seed,
            NumberOfThreads = 1,
        });
        return context.MulticlassClassification.Trainers.OneVersusAll(binary, labelColumnName: MulticlassData.LabelKey);
    }

    public override double EstimateCost(IReadOnlyDictionary<string, double> p, TrainingDataProfile profile) =>
        profile.ClassCount * ((0.002 * profile.FeatureCount) + (p["NumberOfTrees"] * ((DataWork(profile) * 0.05) + (p["NumberOfLeaves"] * 2e-5))));
}

internal sealed class FastForestCandidate : TrainerCandidate
{
    public override string Name => FastForestName;

    public override IReadOnlyList<HyperParameter> Space(TrainingDataProfile profile) => new[]
    {
        new HyperParameter("NumberOfTrees", 4, 500, 20, LogScale: true, IsInteger: true),
        new HyperParameter("NumberOfLeaves", 2, 128, 8, LogScale: true, IsInteger: true),
        new HyperParameter("MinimumExampleCountPerLeaf", 1, MaximumLeafSize(profile), StartingLeafSize(profile), LogScale: true, IsInteger: true),
        new HyperParameter("FeatureFraction", 0.1, 1, 0.7, LogScale: false, IsInteger: false),
    };

    public override IEstimator<ITransformer> Build(MLContext context, IReadOnlyDictionary<string, double> p, int seed, string? weightColumn = null)
    {
        var binary = context.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
        {
            LabelColumnName = MulticlassData.LabelKey,
            FeatureColumnName = MulticlassData.Features,
            ExampleWeightColumnName = weightColumn,
            NumberOfTrees = Int(p, "NumberOfTrees"),
            NumberOfLeaves = Int(p, "NumberOfLeaves"),
            MinimumExampleCountPerLeaf = Int(p, "MinimumExampleCountPerLeaf"),
            FeatureFraction = p["FeatureFraction"],
            Seed = seed,
            NumberOfThreads = 1,
        });
        return context.MulticlassClassification.Trainers.OneVersusAll(binary, labelColumnName: MulticlassData.LabelKey);
    }

    public override double EstimateCost(IReadOnlyDictionary<string, double> p, TrainingDataProfile profile) =>
        profile.ClassCount * ((0.0025 * profile.FeatureCount) + (p["NumberOfTrees"] * (0.004 + (DataWork(profile) * 0.1 * p["FeatureFraction"]) + (p["NumberOfLeaves"] * 2e-5))));
}

internal sealed class LbfgsCandidate : TrainerCandidate
{
    public override string Name => LbfgsName;

    public override bool IsLinear => true;

    public override IReadOnlyList<HyperParameter> Space(TrainingDataProfile profile) => new[]
    {
        new HyperParameter("L2Regularization", 1e-4, 10, 1, LogScale: true, IsInteger: false),
        new HyperParameter("L1Regularization", 1e-4, 10, 1e-4, LogScale: true, IsInteger: false),
        new HyperParameter("HistorySize", 5, 50, 20, LogScale: true, IsInteger: true),
    };

    public override IEstimator<ITransformer> Build(MLContext context, IReadOnlyDictionary<string, double> p, int seed, string? weightColumn = null) =>
        // Linear models need comparable feature scales; trees do not.
        context.Transforms.NormalizeMeanVariance(MulticlassData.Features)
            .Append(context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = MulticlassData.LabelKey,
                FeatureColumnName = MulticlassData.Features,
                ExampleWeightColumnName = weightColumn,
                L2Regularization = Float(p, "L2Regularization"),
                L1Regularization = Float(p, "L1Regularization"),
                HistorySize = Int(p, "HistorySize"),
                NumberOfThreads = 1,
            }));

    public override double EstimateCost(IReadOnlyDictionary<string, double> p, TrainingDataProfile profile) =>
        0.02 + (DataWork(profile) * profile.ClassCount * 3);
}

internal sealed class SdcaCandidate : TrainerCandidate
{
    public override string Name => SdcaName;

    public override bool IsLinear => true;

    public override IReadOnlyList<HyperParameter> Space(TrainingDataProfile profile) => new[]
    {
        new HyperParameter("L2Regularization", 1e-5, 10, 0.01, LogScale: true, IsInteger: false),
        new HyperParameter("L1Regularization", 1e-5, 10, 1e-5, LogScale: true, IsInteger: false),
        new HyperParameter("MaximumNumberOfIterations", 5, 500, 10, LogScale: true, IsInteger: true),
    };

    public override IEstimator<ITransformer> Build(MLContext context, IReadOnlyDictionary<string, double> p, int seed, string? weightColumn = null) =>
        context.Transforms.NormalizeMeanVariance(MulticlassData.Features)
            .Append(context.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = MulticlassData.LabelKey,
                FeatureColumnName = MulticlassData.Features,
                ExampleWeightColumnName = weightColumn,
                L2Regularization = Float(p, "L2Regularization"),
                L1Regularization = Float(p, "L1Regularization"),
                MaximumNumberOfIterations = Int(p, "MaximumNumberOfIterations"),
                NumberOfThreads = 1,
                Shuffle = true,
            }));

    public override double EstimateCost(IReadOnlyDictionary<string, double> p, TrainingDataProfile profile) =>
        0.01 + (p["MaximumNumberOfIterations"] * DataWork(profile) * profile.ClassCount * 0.14);
}
