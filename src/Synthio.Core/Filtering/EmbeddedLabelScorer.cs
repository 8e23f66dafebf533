using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Synthio.Audio;
using Synthio.Features;

namespace Synthio.Filtering;

/// <summary>One training clip for <see cref="EmbeddedLabelScorer.Fit"/>.</summary>
public sealed record ScorerTrainingClip(string Label, AudioBuffer Audio, string Id);

/// <summary>Fitting options of <see cref="EmbeddedLabelScorer"/>.</summary>
public sealed record ScorerFitOptions
{
    public static ScorerFitOptions Default { get; } = new();

    /// <summary>L2 penalty on the weights (the loss is the mean cross-entropy plus L2/2 · ‖W‖²).</summary>
    public double L2 { get; init; } = 0.1;

    /// <summary>Gradient steps of each fit (the full one and every calibration refit).</summary>
    public int Iterations { get; init; } = 300;

    /// <summary>
    /// Mildly transformed copies of each gold clip added to the fit (level, equalisation, ±1 semitone,
    /// faint noise, a little reverberation), so the scorer judges what a sound is rather than how it was
    /// recorded. Copies share their original's calibration fold and are never scored for calibration.
    /// </summary>
    public int InvariantCopies { get; init; } = 3;

    /// <summary>Up to this many clips the temperature is calibrated by leave-one-out, above it by 5-fold cross-validation.</summary>
    public int LeaveOneOutLimit { get; init; } = 24;
}

/// <summary>
/// The embedded label-consistency scorer (design §2 step 5, §3): p(label | audio) from a regularised
/// multinomial logistic regression on standardised clip features, fitted on the gold training clips and
/// temperature-calibrated on held-out predictions (leave-one-out for small sets, 5-fold above
/// <see cref="ScorerFitOptions.LeaveOneOutLimit"/>), so a score of 0.85 means what it says on the
/// dataset's own clips as far as they can tell.
/// </summary>
/// <remarks>
/// With a single label there is nothing to tell the label from, so the score is then the clip's
/// <em>typicality</em>: the chance that a gold clip of the label lies at least as far from the label's
/// centre (chi-square tail of the standardised squared distance). A typical gold clip scores about 0.5
/// there, so single-label datasets want a lower threshold than the paper's 0.85.
/// </remarks>
public sealed class EmbeddedLabelScorer : IAudioTextScorer, IHeldOutGoldScores
{
    /// <summary>Bump when fitting or scoring changes.</summary>
    public const string Version = "2";

    private const string Name = "embedded-label-scorer";
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly IAudioEmbedder _embedder;
    private readonly ScorerState _state;
    private readonly Dictionary<string, int> _labelIndex;

    private EmbeddedLabelScorer(IAudioEmbedder embedder, ScorerState state)
    {
        _embedder = embedder;
        _state = state;
        _labelIndex = state.Labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        Identity = $"{Name}/{Version}/{Hash(JsonSerializer.Serialize(state, JsonOptions))}";
    }

    /// <summary>Name, version and a hash of the fitted parameters (which include the embedder's identity).</summary>
    public string Identity { get; }

    public IReadOnlyList<string> Labels => _state.Labels;

    /// <summary>The calibration temperature (logits are divided by it); 1 when calibration had nothing to hold out.</summary>
    public double Temperature => _state.Temperature;

    /// <summary>Accuracy of the held-out predictions used for calibration (NaN when there were none).</summary>
    public double HeldOutAccuracy => _state.HeldOutAccuracy;

    /// <summary>How many held-out predictions the calibration used.</summary>
    public int HeldOutCount => _state.HeldOutCount;

    /// <summary>True for a single-label fit, where the score is typicality (see remarks).</summary>
    public bool IsTypicality => _state.Labels.Length == 1;

    /// <summary>Fits on <paramref name="training"/> with the scorer's own features (<see cref="LabelScorerEmbedder"/>).</summary>
    public static EmbeddedLabelScorer Fit(IReadOnlyList<ScorerTrainingClip> training, ScorerFitOptions? options = null) =>
        Fit(new LabelScorerEmbedder(), training, options);

    /// <summary>Fits on <paramref name="training"/> with the given features.</summary>
    public static EmbeddedLabelScorer Fit(IAudioEmbedder embedder, IReadOnlyList<ScorerTrainingClip> training, ScorerFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(training);
        options ??= ScorerFitOptions.Default;
        var rows = new List<(string Label, float[] Features, int Group, bool Original)>();
        for (var i = 0; i < training.Count; i++)
        {
            var clip = training[i];
            rows.Add((clip.Label, embedder.Embed(clip.Audio), i, true));
            for (var c = 0; c < options.InvariantCopies; c++)
            {
                var copy = ScorerInvariances.Copy(clip.Audio, StableSeed(clip.Id, c));
                rows.Add((clip.Label, embedder.Embed(copy), i, false));
            }
        }

        return FitRows(embedder, rows, options);
    }

    /// <summary>
    /// Fits on features already computed with <paramref name="embedder"/> (for callers that cache them);
    /// no transformed copies are added.
    /// </summary>
    public static EmbeddedLabelScorer FitFeatures(IAudioEmbedder embedder, IReadOnlyList<(string Label, float[] Features)> training, ScorerFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(training);
        return FitRows(embedder, training.Select((t, i) => (t.Label, t.Features, i, true)).ToList(), options ?? ScorerFitOptions.Default);
    }

    private static EmbeddedLabelScorer FitRows(IAudioEmbedder embedder, List<(string Label, float[] Features, int Group, bool Original)> training, ScorerFitOptions options)
    {
        if (training.Count == 0)
        {
            throw new ArgumentException("the scorer needs at least one training clip", nameof(training));
        }

        var dimension = training[0].Features.Length;
        if (training.Any(t => t.Features.Length != dimension))
        {
            throw new ArgumentException("all feature vectors must have the same length", nameof(training));
        }

        var labels = training.Select(t => t.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        var originals = training.Where(t => t.Original).ToArray();

        // Standardisation and single-label typicality describe the gold clips themselves, not the copies.
        var (mean, scale) = Standardisation(originals.Select(t => t.Features).ToArray(), dimension);
        var x = training.Select(t => Standardise(t.Features, mean, scale)).ToArray();
        var y = training.Select(t => index[t.Label]).ToArray();
        var groups = training.Select(t => t.Group).ToArray();
        var original = training.Select(t => t.Original).ToArray();

        var state = new ScorerState
        {
            EmbedderIdentity = embedder.Identity,
            Labels = labels,
            Mean = mean,
            Scale = scale,
            TrainingCount = originals.Length,
        };

        if (labels.Length == 1)
        {
            return new EmbeddedLabelScorer(embedder, state with { Temperature = 1, HeldOutAccuracy = double.NaN });
        }

        var model = SoftmaxRegression.Train(x, y, labels.Length, options.L2, options.Iterations, null);
        var (heldOutLogits, heldOutLabels) = HeldOutLogits(x, y, groups, original, labels.Length, options);
        var temperature = heldOutLogits.Count > 0 ? FitTemperature(heldOutLogits, heldOutLabels) : 1.0;
        var accuracy = heldOutLogits.Count > 0
            ? heldOutLogits.Zip(heldOutLabels).Count(p => ArgMax(p.First) == p.Second) / (double)heldOutLogits.Count
            : double.NaN;
        // What the calibrated scorer gives each label's own clips when they were not part of its fit: the
        // level a real, unseen clip of the label reaches (the threshold's "auto" reads it).
        var heldOutScores = labels.ToDictionary(l => l, _ => new List<double>(), StringComparer.Ordinal);
        for (var i = 0; i < heldOutLogits.Count; i++)
        {
            var probabilities = SoftmaxRegression.Softmax(heldOutLogits[i].Select(v => v / temperature).ToArray());
            heldOutScores[labels[heldOutLabels[i]]].Add(probabilities[heldOutLabels[i]]);
        }

        return new EmbeddedLabelScorer(embedder, state with
        {
            HeldOutScores = heldOutScores.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal),
            Weights = model.Weights,
            Bias = model.Bias,
            Temperature = temperature,
            HeldOutAccuracy = accuracy,
            HeldOutCount = heldOutLogits.Count,
        });
    }

    private static int StableSeed(string id, int copy)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{id}\u001f{copy}"));
        return BitConverter.ToInt32(hash, 0) & 0x7FFFFFFF;
    }

    public Task<double> ScoreAsync(AudioBuffer audio, string label, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ScoreFeatures(_embedder.Embed(audio), label));
    }

    /// <summary>
    /// The calibrated scores of <paramref name="label"/>'s gold clips from the calibration refits that held
    /// them out; empty for a single-label fit or a label whose clips could not be held out.
    /// </summary>
    public IReadOnlyList<double> HeldOutGoldScores(string label) =>
        _state.HeldOutScores.TryGetValue(label, out var scores) ? scores : [];

    /// <summary>The calibrated p(<paramref name="label"/> | clip) from the clip's features.</summary>
    public double ScoreFeatures(float[] features, string label)
    {
        if (!_labelIndex.TryGetValue(label, out var k))
        {
            throw new ArgumentException($"the scorer was not fitted on label '{label}' (known: {string.Join(", ", _state.Labels)})", nameof(label));
        }

        return Probabilities(features)[k];
    }

    /// <summary>Calibrated probabilities over <see cref="Labels"/> (for a single label: its typicality).</summary>
    public double[] Probabilities(float[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Length != _state.Mean.Length)
        {
            throw new ArgumentException($"expected {_state.Mean.Length} features, got {features.Length}", nameof(features));
        }

        var z = Standardise(features, _state.Mean, _state.Scale);
        if (IsTypicality)
        {
            var squared = z.Sum(v => v * v);
            return [Gamma.UpperRegularized(z.Length / 2.0, squared / 2.0)];
        }

        var logits = SoftmaxRegression.Logits(z, _state.Weights, _state.Bias);
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] /= _state.Temperature;
        }

        return SoftmaxRegression.Softmax(logits);
    }

    public string ToJson() => JsonSerializer.Serialize(_state, JsonOptions);

    /// <summary>Restores a fitted scorer; <paramref name="embedder"/> must be the one it was fitted with.</summary>
    public static EmbeddedLabelScorer FromJson(string json, IAudioEmbedder embedder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        var state = JsonSerializer.Deserialize<ScorerState>(json, JsonOptions) ?? throw new FormatException("scorer JSON is empty");
        if (state.Version != Version)
        {
            throw new FormatException($"scorer JSON is version {state.Version}, this build reads version {Version}");
        }

        if (!string.Equals(state.EmbedderIdentity, embedder.Identity, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the scorer was fitted with embedder '{state.EmbedderIdentity}', not '{embedder.Identity}'", nameof(embedder));
        }

        if (state.Labels.Length == 0 || state.Mean.Length != state.Scale.Length
            || (state.Labels.Length > 1 && (state.Weights.Length != state.Labels.Length || state.Bias.Length != state.Labels.Length)))
        {
            throw new FormatException("scorer JSON is inconsistent");
        }

        return new EmbeddedLabelScorer(embedder, state);
    }

    private static (List<double[]> Logits, List<int> Labels) HeldOutLogits(double[][] x, int[] y, int[] groups, bool[] original, int classes, ScorerFitOptions options)
    {
        var n = x.Length;

        // Folds are over gold clips (groups); a clip's transformed copies always sit in its fold.
        var groupLabel = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            groupLabel.TryAdd(groups[i], y[i]);
        }

        var groupIds = groupLabel.Keys.Order().ToArray();
        var counts = new int[classes];
        foreach (var g in groupIds)
        {
            counts[groupLabel[g]]++;
        }

        var foldOfGroup = new Dictionary<int, int>();
        int folds;
        if (groupIds.Length <= options.LeaveOneOutLimit)
        {
            folds = groupIds.Length;
            for (var k = 0; k < groupIds.Length; k++)
            {
                foldOfGroup[groupIds[k]] = k;
            }
        }
        else
        {
            // Five folds, round-robin within each label.
            folds = 5;
            var seen = new int[classes];
            foreach (var g in groupIds)
            {
                foldOfGroup[g] = seen[groupLabel[g]]++ % folds;
            }
        }

        var logits = new List<double[]>();
        var truth = new List<int>();
        for (var f = 0; f < folds; f++)
        {
            var heldGroups = groupIds.Where(g => foldOfGroup[g] == f).ToArray();
            if (heldGroups.Length == 0)
            {
                continue;
            }

            // A label with all its clips held out cannot be predicted; such clips are left out of calibration.
            var heldCounts = new int[classes];
            foreach (var g in heldGroups)
            {
                heldCounts[groupLabel[g]]++;
            }

            var train = Enumerable.Range(0, n).Where(i => foldOfGroup[groups[i]] != f).ToArray();

            // Each refit starts from zero: starting from the full fit would leak the held-out clip into it.
            var model = SoftmaxRegression.Train(
                train.Select(i => x[i]).ToArray(), train.Select(i => y[i]).ToArray(), classes, options.L2, options.Iterations, null);
            for (var i = 0; i < n; i++)
            {
                if (original[i] && foldOfGroup[groups[i]] == f && heldCounts[y[i]] < counts[y[i]])
                {
                    logits.Add(SoftmaxRegression.Logits(x[i], model.Weights, model.Bias));
                    truth.Add(y[i]);
                }
            }
        }

        return (logits, truth);
    }

    /// <summary>The temperature minimising held-out negative log-likelihood (golden-section search on log T).</summary>
    private static double FitTemperature(List<double[]> logits, List<int> labels)
    {
        double Loss(double logT)
        {
            var t = Math.Exp(logT);
            double total = 0;
            for (var i = 0; i < logits.Count; i++)
            {
                var scaled = logits[i].Select(v => v / t).ToArray();
                var max = scaled.Max();
                var logSum = max + Math.Log(scaled.Sum(v => Math.Exp(v - max)));
                total += logSum - scaled[labels[i]];
            }

            return total / logits.Count;
        }

        double a = Math.Log(0.05), b = Math.Log(100);
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var c = b - (ratio * (b - a));
        var d = a + (ratio * (b - a));
        double fc = Loss(c), fd = Loss(d);
        for (var i = 0; i < 60; i++)
        {
            if (fc < fd)
            {
                b = d;
                d = c;
                fd = fc;
                c = b - (ratio * (b - a));
                fc = Loss(c);
            }
            else
            {
                a = c;
                c = d;
                fc = fd;
                d = a + (ratio * (b - a));
                fd = Loss(d);
            }
        }

        return Math.Exp((a + b) / 2);
    }

    private static (double[] Mean, double[] Scale) Standardisation(float[][] features, int dimension)
    {
        var mean = new double[dimension];
        var scale = new double[dimension];
        foreach (var f in features)
        {
            for (var j = 0; j < dimension; j++)
            {
                mean[j] += f[j];
            }
        }

        for (var j = 0; j < dimension; j++)
        {
            mean[j] /= features.Length;
        }

        foreach (var f in features)
        {
            for (var j = 0; j < dimension; j++)
            {
                scale[j] += (f[j] - mean[j]) * (f[j] - mean[j]);
            }
        }

        var typical = 0.0;
        for (var j = 0; j < dimension; j++)
        {
            scale[j] = Math.Sqrt(scale[j] / features.Length);
            typical += scale[j];
        }

        // A constant feature must not blow up: floor its scale at a small share of the typical one.
        var floor = Math.Max(1e-9, 1e-3 * typical / Math.Max(1, dimension));
        for (var j = 0; j < dimension; j++)
        {
            scale[j] = Math.Max(scale[j], floor);
        }

        return (mean, scale);
    }

    private static double[] Standardise(float[] features, double[] mean, double[] scale)
    {
        var z = new double[features.Length];
        for (var j = 0; j < z.Length; j++)
        {
            z[j] = (features[j] - mean[j]) / scale[j];
        }

        return z;
    }

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>Everything a fitted scorer is, as JSON.</summary>
    private sealed record ScorerState
    {
        public string Version { get; init; } = EmbeddedLabelScorer.Version;

        public string EmbedderIdentity { get; init; } = "";

        public string[] Labels { get; init; } = [];

        public double[] Mean { get; init; } = [];

        public double[] Scale { get; init; } = [];

        public double[][] Weights { get; init; } = [];

        public double[] Bias { get; init; } = [];

        public double Temperature { get; init; } = 1;

        public double HeldOutAccuracy { get; init; } = double.NaN;

        public int HeldOutCount { get; init; }

        public Dictionary<string, double[]> HeldOutScores { get; init; } = new(StringComparer.Ordinal);

        public int TrainingCount { get; init; }
    }
}
