using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Synthio.Features;
using Synthio.Filtering;
using Synthio.Generation;
using Synthio.Language;

namespace Synthio.Generation;

/// <summary>Options of <see cref="PreferenceTuner"/> (the alignment step); serialisable, and part of the tuning step's cache key.</summary>
public sealed record PreferenceTuningOptions
{
    /// <summary>Candidates drawn besides the starting parameters.</summary>
    public int Candidates { get; init; } = 7;

    /// <summary>Clips generated per label and candidate.</summary>
    public int ClipsPerLabel { get; init; } = 3;

    /// <summary>At most this many labels take part (chosen by seed when there are more).</summary>
    public int MaxLabels { get; init; } = 10;

    public int Seed { get; init; }

    /// <summary>The filter's threshold: acceptance is measured against it (for labels <see cref="LabelThresholds"/> does not name).</summary>
    public double Threshold { get; init; } = 0.85;

    /// <summary>Per-label thresholds (the filter's <c>auto</c>); null: <see cref="Threshold"/> for every label.</summary>
    public IReadOnlyDictionary<string, double>? LabelThresholds { get; init; }

    /// <summary>Probe clip length; null = the median length of the gold clips.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Weight of the scorer's preference (mean score and acceptance rate).</summary>
    public double ScoreWeight { get; init; } = 1.0;

    /// <summary>Weight of the penalty for straying further from the gold clips than they are from each other.</summary>
    public double DistanceWeight { get; init; } = 0.5;

    /// <summary>Weight of the reward for spreading as widely as the gold clips (capped at their spread).</summary>
    public double DiversityWeight { get; init; } = 0.5;

    /// <summary>Stop drawing new candidates after this many seconds (the starting set is always evaluated).</summary>
    public double TimeBudgetSeconds { get; init; } = 120;

    /// <summary>Probe captions; "{0}" is replaced by the label's words.</summary>
    public IReadOnlyList<string> Captions { get; init; } =
    [
        "{0}",
        "a distant {0}",
        "{0} repeated with faint rain in the background",
        "a {0} in a small room",
        "a muffled {0}",
        "a {0} outdoors with wind",
    ];
}

/// <summary>How one candidate fared.</summary>
/// <param name="Parameters">The candidate.</param>
/// <param name="Utility">The preference: higher wins.</param>
/// <param name="MeanScore">Mean filter score of its probe clips.</param>
/// <param name="AcceptanceRate">Share of probe clips at or above the threshold.</param>
/// <param name="DistanceRatio">Mean distance of a probe clip to its nearest gold clip, over the gold clips' own nearest-neighbour distance.</param>
/// <param name="DiversityRatio">Mean pairwise distance of the probe clips over that of the gold clips.</param>
public sealed record TuningCandidate(GeneratorParameters Parameters, double Utility, double MeanScore, double AcceptanceRate, double DistanceRatio, double DiversityRatio);

/// <summary>The outcome of preference tuning.</summary>
/// <param name="Best">The preferred parameters (cache these).</param>
/// <param name="Candidates">Every evaluated candidate, the starting parameters first.</param>
/// <param name="StoppedByBudget">True when the time budget cut the candidate list short (the result then depends on machine speed).</param>
public sealed record PreferenceTuningResult(GeneratorParameters Best, IReadOnlyList<TuningCandidate> Candidates, bool StoppedByBudget);

/// <summary>
/// Preference tuning of the embedded generator against the gold clips — the role DPO plays for the
/// paper's diffusion model (design §2 step 7), done here for a parametric generator: candidate parameter
/// sets each generate probe clips for every label; a candidate is preferred when the filter scores its
/// clips as their label, when they stay about as close to the gold clips as the gold clips are to each
/// other, and when they spread as widely as the gold clips do. The most preferred set wins.
/// </summary>
/// <remarks>
/// Deterministic for a seed as long as <see cref="PreferenceTuningOptions.TimeBudgetSeconds"/> is not
/// reached; the cost is (1 + candidates) × labels × clips generations, scorings and embeddings.
/// </remarks>
public static class PreferenceTuner
{
    /// <summary>Bump when tuning changes what it returns for the same inputs.</summary>
    public const string Version = "1";

    /// <param name="generator">A generator over the gold clips; its parameters are the starting candidate.</param>
    /// <param name="material">The same gold clips per label (for the distance and spread measures).</param>
    /// <param name="scorer">The label-consistency filter.</param>
    /// <param name="embedder">Features in which distances are measured.</param>
    /// <param name="options">Budget, weights and probe captions.</param>
    /// <param name="cancellationToken">Cancels between clips.</param>
    public static async Task<PreferenceTuningResult> TuneAsync(
        EmbeddedGenerator generator,
        IReadOnlyDictionary<string, IReadOnlyList<GoldClip>> material,
        IAudioTextScorer scorer,
        IAudioEmbedder embedder,
        PreferenceTuningOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(embedder);
        options ??= new PreferenceTuningOptions();
        if (options.Captions.Count == 0 || options.ClipsPerLabel < 1)
        {
            throw new ArgumentException("tuning needs at least one probe caption and one clip per label", nameof(options));
        }

        var stopwatch = Stopwatch.StartNew();
        var random = SplitMixRandom.FromParts("preference-tuning", Version, options.Seed.ToString(CultureInfo.InvariantCulture));
        var labels = material.Keys.Order(StringComparer.Ordinal).ToList();
        while (labels.Count > options.MaxLabels)
        {
            labels.RemoveAt(random.Next(labels.Count));
        }

        var duration = options.DurationSeconds ?? Median(material.Values.SelectMany(c => c).Select(c => c.Audio.DurationSeconds));
        var gold = labels.ToDictionary(l => l, l => material[l].Select(c => embedder.Embed(c.Audio)).ToArray(), StringComparer.Ordinal);
        var scale = Scale(gold.Values.SelectMany(v => v).ToArray());
        var goldNearest = labels.ToDictionary(l => l, l => NearestNeighbourMean(gold[l], scale), StringComparer.Ordinal);
        var goldSpread = labels.ToDictionary(l => l, l => MeanPairwise(gold[l], scale), StringComparer.Ordinal);

        var start = generator.Parameters;
        var candidates = new List<GeneratorParameters> { start };
        for (var i = 0; i < options.Candidates; i++)
        {
            candidates.Add(Perturb(start, ref random));
        }

        var evaluated = new List<TuningCandidate>();
        var stopped = false;
        foreach (var candidate in candidates)
        {
            if (evaluated.Count > 0 && stopwatch.Elapsed.TotalSeconds > options.TimeBudgetSeconds)
            {
                stopped = true;
                break;
            }

            var probe = generator.WithParameters(candidate);
            double scoreSum = 0, accepted = 0, distance = 0, diversity = 0;
            var clips = 0;
            foreach (var (label, labelIndex) in labels.Select((l, i) => (l, i)))
            {
                var threshold = options.LabelThresholds is { } perLabel && perLabel.TryGetValue(label, out var own) ? own : options.Threshold;
                var vectors = new List<float[]>();
                for (var c = 0; c < options.ClipsPerLabel; c++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var template = options.Captions[(c + labelIndex) % options.Captions.Count];
                    var caption = string.Format(CultureInfo.InvariantCulture, template, label.Replace('_', ' '));
                    var request = new GenerationRequest(label, caption, SoundComponents.Empty, duration, unchecked((options.Seed * 7919) + c));
                    var audio = probe.Generate(request).Audio;
                    var score = await scorer.ScoreAsync(audio, label, cancellationToken).ConfigureAwait(false);
                    var vector = embedder.Embed(audio);
                    scoreSum += score;
                    accepted += score >= threshold ? 1 : 0;
                    distance += NearestDistance(vector, gold[label], scale) / Math.Max(1e-9, goldNearest[label]);
                    vectors.Add(vector);
                    clips++;
                }

                diversity += Math.Min(1.0, MeanPairwise(vectors, scale) / Math.Max(1e-9, goldSpread[label]));
            }

            var meanScore = scoreSum / clips;
            var acceptance = accepted / clips;
            var distanceRatio = distance / clips;
            var diversityRatio = diversity / labels.Count;
            var utility = (options.ScoreWeight * (meanScore + acceptance) / 2)
                - (options.DistanceWeight * Math.Max(0, distanceRatio - 1) / 2)
                + (options.DiversityWeight * diversityRatio);
            evaluated.Add(new TuningCandidate(candidate, utility, meanScore, acceptance, distanceRatio, diversityRatio));
        }

        // Ties go to the earlier candidate, so the starting parameters win unless something is preferred.
        var best = evaluated[0];
        foreach (var c in evaluated.Skip(1))
        {
            if (c.Utility > best.Utility + 1e-12)
            {
                best = c;
            }
        }

        return new PreferenceTuningResult(best.Parameters, evaluated, stopped);
    }

    /// <summary>Serialises a result's winning parameters with the figures that chose them.</summary>
    public static string ToJson(PreferenceTuningResult result) => JsonSerializer.Serialize(result);

    /// <summary>
    /// A candidate: all transform intensities scaled by one factor (milder or stronger overall), then
    /// each knob nudged on its own, so both the overall level and the balance between transforms move.
    /// </summary>
    private static GeneratorParameters Perturb(GeneratorParameters start, ref SplitMixRandom random)
    {
        var intensity = Math.Exp(random.Range(Math.Log(0.3), Math.Log(1.6)));
        var r = random;
        double Nudge(double value) => value * intensity * Math.Exp(r.Range(Math.Log(0.7), Math.Log(1.4)));
        double Chance(double value) => Math.Clamp(Nudge(value), 0, 1);
        var snrShift = (1 - intensity) * 10;
        var candidate = start with
        {
            PitchSemitones = Nudge(start.PitchSemitones),
            TimingJitter = Math.Clamp(Nudge(start.TimingJitter), 0, 1),
            EventGainJitterDb = Nudge(start.EventGainJitterDb),
            LevelJitterDb = Nudge(start.LevelJitterDb),
            SnrMinDb = start.SnrMinDb + snrShift,
            SnrMaxDb = start.SnrMaxDb + snrShift,
            NoiseBackgroundChance = Chance(start.NoiseBackgroundChance),
            FilterChance = Chance(start.FilterChance),
            EqualiserChance = Chance(start.EqualiserChance),
            EqualiserGainDb = Nudge(start.EqualiserGainDb),
            ReverbChance = Chance(start.ReverbChance),
            ReverbWetMax = Math.Clamp(Nudge(start.ReverbWetMax), 0.05, 0.9),
            EventRateMin = Math.Max(0.1, start.EventRateMin * r.Range(0.8, 1.25)),
            EventRateMax = Math.Max(0.2, start.EventRateMax * r.Range(0.8, 1.25)),
        };
        random = r;
        if (candidate.EventRateMax < candidate.EventRateMin)
        {
            candidate = candidate with { EventRateMax = candidate.EventRateMin };
        }

        return candidate;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 5.0 : sorted[sorted.Length / 2];
    }

    private static double[] Scale(float[][] vectors)
    {
        var dimension = vectors[0].Length;
        var scale = new double[dimension];
        for (var k = 0; k < dimension; k++)
        {
            var mean = vectors.Average(v => (double)v[k]);
            scale[k] = Math.Sqrt(vectors.Average(v => (v[k] - mean) * (v[k] - mean)));
        }

        var floor = Math.Max(1e-9, scale.Average() * 1e-3);
        return scale.Select(s => Math.Max(s, floor)).ToArray();
    }

    private static double Distance(float[] a, float[] b, double[] scale)
    {
        double sum = 0;
        for (var k = 0; k < scale.Length; k++)
        {
            var d = (a[k] - b[k]) / scale[k];
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }

    private static double NearestDistance(float[] vector, float[][] set, double[] scale) =>
        set.Min(g => Distance(vector, g, scale));

    /// <summary>Mean distance from each gold clip to its nearest other gold clip (its own spacing).</summary>
    private static double NearestNeighbourMean(float[][] set, double[] scale)
    {
        if (set.Length < 2)
        {
            return 1.0;
        }

        return set.Select((v, i) => set.Where((_, j) => j != i).Min(o => Distance(v, o, scale))).Average();
    }

    private static double MeanPairwise(IReadOnlyList<float[]> set, double[] scale)
    {
        double total = 0;
        var pairs = 0;
        for (var i = 0; i < set.Count; i++)
        {
            for (var j = i + 1; j < set.Count; j++)
            {
                total += Distance(set[i], set[j], scale);
                pairs++;
            }
        }

        return pairs == 0 ? 1.0 : total / pairs;
    }
}
