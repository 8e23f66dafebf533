using System.Collections.Concurrent;
using System.Globalization;
using Synthio.Audio;
using Synthio.Augmentation;
using Synthio.Caching;
using Synthio.Captioning;
using Synthio.Datasets;
using Synthio.Diagnostics;
using Synthio.Filtering;
using Synthio.Generation;
using Synthio.Features;
using Synthio.Language;
using Synthio.Policy;
using Synthio.Training;

namespace Synthio.Pipeline;

/// <summary>The backends one augmentation run uses.</summary>
public sealed record AugmentationBackends(
    IAudioCaptioner Captioner,
    ILanguageModel LanguageModel,
    IGeneratorProvider Generator,
    IScorerProvider Scorer);

/// <summary>
/// What an augmentation run produced. <paramref name="Audio"/> holds the augmented clips' WAV bytes by blob
/// when the run did not write them (<see cref="AugmentOptions.WriteClips"/> false), else null.
/// </summary>
public sealed record AugmentResult(AugmentManifest Manifest, string ManifestPath, bool ManifestChanged, IReadOnlyDictionary<string, byte[]>? Audio = null);

/// <summary>
/// Synthio on one dataset (design §2): caption the gold training clips, extract their events and scenes,
/// compose MixCap captions per label, generate a clip per caption, keep the label-consistent ones and
/// rewrite the captions of rejected ones (self-reflection). Every step goes through the step cache, so an
/// unchanged input recomputes nothing and a changed clip recomputes only what depends on it.
/// </summary>
public sealed class AugmentationPipeline
{
    public const string CaptionStep = "caption";
    public const string GenerateStep = "generate";
    public const string ScoreStep = "score";
    public const string PolicyStep = "policy";
    public const string ClassicStep = "classic";

    /// <summary>The folder, inside a run's output, that holds the policy search's per-fold manifests.</summary>
    public const string PolicyDirectory = "policy";

    /// <summary>From this median training clip length on, the clips are treated as recordings to cut (<c>SYN1015</c>).</summary>
    public const double LongClipSeconds = 20;

    private readonly AugmentationBackends _backends;
    private readonly StepCache _cache;
    private readonly FileHashIndex _hashes;
    private readonly IPipelineReporter _reporter;

    // The WAV bytes of this run's generated clips by blob hash, read or made once; cleared after each run.
    private readonly ConcurrentDictionary<string, byte[]> _generatedAudio = new(StringComparer.Ordinal);

    public AugmentationPipeline(AugmentationBackends backends, StepCache cache, IPipelineReporter reporter)
    {
        _backends = backends;
        _cache = cache;
        _hashes = new FileHashIndex(cache.Store);
        _reporter = reporter;
    }

    /// <summary>Runs the pipeline on a dataset file or folder and writes the results to <paramref name="outputDirectory"/>.</summary>
    public async Task<AugmentResult> RunAsync(string datasetPath, string outputDirectory, AugmentOptions options, CancellationToken cancellationToken = default)
    {
        var loaded = ClipGroupPattern.Apply(DatasetLoader.Load(datasetPath, _reporter, options.AllowOutsidePaths), options.GroupPattern, _reporter);
        var dataset = HoldoutSplitter.Apply(loaded, options.HoldoutFraction, options.Seed);
        return await RunAsync(dataset, outputDirectory, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the pipeline on an already loaded (and split) dataset. One run at a time per instance.</summary>
    public async Task<AugmentResult> RunAsync(Dataset dataset, string outputDirectory, AugmentOptions options, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunCoreAsync(dataset, outputDirectory, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _generatedAudio.Clear();
        }
    }

    private async Task<AugmentResult> RunCoreAsync(Dataset dataset, string outputDirectory, AugmentOptions options, CancellationToken cancellationToken)
    {
        var output = Path.GetFullPath(outputDirectory);
        GuardOutputOutsideDataset(dataset, output);

        var gold = LoadGold(dataset, options);
        var material = new TrainingMaterial(gold.Where(g => g.Split == ClipSplit.Train && g.Clip is not null).Select(g => g.Clip!));
        if (material.Labels.Count == 0)
        {
            throw new SynthioException(DiagnosticCodes.EmptyDataset, $"dataset '{dataset.Source}' has no readable training clips", dataset.Source);
        }

        WarnWhenClipsAreRecordings(dataset, material);

        // A fixed policy without Synthio clips (classic copies, gold-only) needs no captions, scorer or generator.
        var policy = options.FixedPolicy;
        var stages = options.AutoPolicy || policy.SynthioCopies > 0
            ? await PrepareSynthioAsync(material, options, cancellationToken).ConfigureAwait(false)
            : null;
        var captions = stages?.Captions ?? new Dictionary<string, string>();
        var components = stages?.Components ?? new Dictionary<string, SoundComponents>();

        PolicyDecision? decision = null;
        if (options.AutoPolicy)
        {
            decision = await DecidePolicyAsync(dataset, material, output, stages!.Scorer, stages.Generator, stages.LanguageModelIdentity, options, cancellationToken).ConfigureAwait(false);
            policy = decision.ChosenPolicy;
        }

        var synthioCopies = policy.SynthioCopies;

        var synthetic = new ConcurrentBag<ManifestClip>();
        var stats = new ConcurrentDictionary<string, LabelGenerationStats>(StringComparer.Ordinal);
        var targetTotal = material.Labels.Sum(l => synthioCopies * material.ByLabel[l].Count);
        var attempts = 0;
        if (targetTotal > 0)
        {
            _reporter.Progress("generate", 0, targetTotal);
        }

        await Parallel.ForEachAsync(
            synthioCopies > 0 ? material.Labels : Array.Empty<string>(),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellationToken },
            async (label, ct) =>
            {
                var (scorer, thresholds, generator) = (stages!.Scorer, stages.Thresholds, stages.Generator);
                var labelClips = material.ByLabel[label];
                var duration = Median(labelClips.Select(c => c.Audio.DurationSeconds));
                var loop = new ReflectionLoop<GeneratedAudio>(
                    new ReflectionOptions(thresholds[label], options.ReflectionRounds, options.Ablations),
                    compose: (l, count, _, t) => PromptsForLabelAsync(l, labelClips, captions, components, count, options, t),
                    generate: async (l, candidate, seed, t) =>
                    {
                        var clip = await GenerateAsync(generator, new GenerationRequest(l, candidate.Caption, candidate.Components, duration, seed), t).ConfigureAwait(false);
                        _reporter.Progress("generate", Math.Min(Interlocked.Increment(ref attempts), targetTotal), targetTotal);
                        return clip;
                    },
                    score: (l, clip, t) => _cache.GetOrComputeAsync(
                        ScoreStep,
                        new { scorer = scorer.Identity, blob = clip.Blob, label = l },
                        token => scorer.ScoreAsync(LoadGenerated(clip.Blob), l, token),
                        t),
                    reflect: async (l, rejected, tried, seed, t) =>
                    {
                        var caption = await _backends.LanguageModel.ReflectAsync(l, rejected.Caption, tried, seed, t).ConfigureAwait(false);
                        var parts = await _backends.LanguageModel.ExtractComponentsAsync(l, caption, t).ConfigureAwait(false);
                        return new CaptionCandidate(caption, parts);
                    });
                var outcome = await loop.RunAsync(label, labelClips.Count, synthioCopies * labelClips.Count, DerivedSeed(options.Seed, label, "generate", 0), ct).ConfigureAwait(false);
                foreach (var attempt in outcome.Accepted)
                {
                    synthetic.Add(new ManifestClip
                    {
                        Path = $"{FileNames.ForLabel(label)}/syn-{attempt.Clip.Key[..16]}.wav",
                        Label = label,
                        Origin = ClipOrigin.Synthetic,
                        Caption = attempt.Candidate.Caption,
                        Components = attempt.Candidate.Components,
                        Score = attempt.Score,
                        Key = attempt.Clip.Key,
                        Blob = attempt.Clip.Blob,
                        Sources = attempt.Clip.Sources,
                        Round = attempt.Round,
                    });
                }

                stats[label] = outcome.Stats;
                // A fixed bar that rejects most clips is often one the label's own real clips would fail too.
                var hint = !options.Threshold.FromGold && outcome.Stats.Rejected > outcome.Stats.Accepted
                    ? "Threshold=auto (--threshold auto) sets each label's bar at the score its own unseen real clips reach"
                    : null;
                if (outcome.Stats.TargetMissedWarning(thresholds[label], options.ReflectionRounds, hint) is { } warning)
                {
                    _reporter.Report(warning);
                }
            }).ConfigureAwait(false);
        if (targetTotal > 0)
        {
            _reporter.Progress("generate", targetTotal, targetTotal);
        }

        var classic = MakeClassicCopies(material, policy.ClassicCopies, options, cancellationToken);
        var augmented = synthetic.Concat(classic).OrderBy(c => c.Label, StringComparer.Ordinal).ThenBy(c => c.Path, StringComparer.Ordinal).ToList();
        var writer = new AugmentOutputWriter(output, _cache.Store, _reporter);
        IReadOnlyList<ManifestClip> syntheticClips = augmented;
        Dictionary<string, byte[]>? audio = null;
        if (options.WriteClips)
        {
            syntheticClips = await writer.WriteClipsAsync(augmented, _generatedAudio, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            audio = augmented.Select(c => c.Blob!).Distinct(StringComparer.Ordinal).ToDictionary(b => b, b => _generatedAudio.TryGetValue(b, out var bytes) ? bytes : LoadBlobBytes(b), StringComparer.Ordinal);
        }

        var goldEntries = gold.Select(g => new ManifestClip
        {
            Path = g.Source.Path,
            Label = g.Source.Label,
            Origin = ClipOrigin.Gold,
            Split = g.Source.Split == ClipSplit.Test ? "test" : "train",
            Group = g.Source.Group,
            Caption = g.Clip is not null && captions.TryGetValue(g.Clip.Id, out var c) ? c : null,
            Components = g.Clip is not null && components.TryGetValue(g.Clip.Id, out var comp) ? comp : null,
            Key = g.Hash ?? string.Empty,
        }).Where(g => g.Key.Length > 0);

        var generateCounter = _cache.Counters.TryGetValue(GenerateStep, out var gc) ? gc : null;
        var manifest = new AugmentManifest
        {
            Dataset = dataset.Source,
            Settings = new Dictionary<string, object?>
            {
                ["multiplier"] = options.AutoPolicy ? "auto" : options.FixedPolicy.Multiplier,
                ["clipsWritten"] = options.WriteClips,
                ["seed"] = options.Seed,
                ["threshold"] = options.Threshold.Setting,
                ["reflectionRounds"] = options.ReflectionRounds,
                ["holdout"] = options.HoldoutFraction,
                ["groupPattern"] = options.GroupPattern,
                ["ablations"] = options.Ablations.ToString(),
                ["classicKeepEnvelope"] = options.Classic.PitchShiftKeepsEnvelopeProbability,
                ["captioner"] = stages is null ? null : _backends.Captioner.Identity,
                ["languageModel"] = stages?.LanguageModelIdentity,
                ["generator"] = stages?.Generator.Identity,
                ["scorer"] = stages?.Scorer.Identity,
            },
            Labels = dataset.Labels,
            Clips = goldEntries.Concat(syntheticClips).ToArray(),
            Policy = policy.Name,
            PolicySearch = decision,
            Stats = stats.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            Generated = generateCounter?.Computed ?? 0,
            Reused = generateCounter?.Reused ?? 0,
            Steps = _cache.Counters.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => new StepStats(p.Value.Computed, p.Value.Reused), StringComparer.Ordinal),
        };
        writer.WriteDatasetFileList(dataset);
        var (manifestPath, changed) = writer.WriteManifest(manifest);
        return new AugmentResult(manifest, manifestPath, changed, audio);
    }

    /// <summary>What Synthio's own clips need before generation: the gold clips' captions and sound components, the
    /// fitted scorer with each label's threshold, and the (tuned) generator.</summary>
    private sealed record SynthioStages(
        Dictionary<string, string> Captions,
        Dictionary<string, SoundComponents> Components,
        IAudioTextScorer Scorer,
        IReadOnlyDictionary<string, double> Thresholds,
        ITextToAudio Generator,
        string LanguageModelIdentity);

    private async Task<SynthioStages> PrepareSynthioAsync(TrainingMaterial material, AugmentOptions options, CancellationToken cancellationToken)
    {
        var captions = await CaptionAsync(material, cancellationToken).ConfigureAwait(false);
        var components = await ExtractAsync(material, captions, cancellationToken).ConfigureAwait(false);

        _reporter.Info("fitting the label-consistency scorer");
        var scorer = await _backends.Scorer.CreateAsync(material, _cache, _reporter, cancellationToken).ConfigureAwait(false);
        var thresholds = await LabelThresholdsAsync(scorer, material, options.Threshold, cancellationToken).ConfigureAwait(false);
        _reporter.Info("preparing the generator");
        var generator = await _backends.Generator.CreateAsync(material, scorer, thresholds, _cache, options, _reporter, cancellationToken).ConfigureAwait(false);
        var lmIdentity = await _backends.LanguageModel.GetIdentityAsync(cancellationToken).ConfigureAwait(false);
        return new SynthioStages(captions, components, scorer, thresholds, generator, lmIdentity);
    }

    /// <summary>
    /// The automatic policy (<c>Multiplier="auto"</c>), a cached step: it reruns only when the training clips,
    /// the backends or the settings change. Each fold's generation runs this pipeline on that fold's training
    /// clips and records a manifest under <c>policy/fold-k/</c>.
    /// </summary>
    private Task<PolicyDecision> DecidePolicyAsync(
        Dataset dataset,
        TrainingMaterial material,
        string output,
        IAudioTextScorer scorer,
        ITextToAudio generator,
        string lmIdentity,
        AugmentOptions options,
        CancellationToken ct)
    {
        var embedder = options.ClassifierEmbedder ?? new SpectralStatisticsEmbedder();
        var augmenter = new ClassicAugmenter(options.Classic);
        var search = options.PolicySearch with { Seed = options.Seed };
        var grouped = material.Clips.Any(c => c.Group is not null);
        var description = new
        {
            version = PolicySearch.Version,
            mlNet = TrainerSearch.MlNetRelease,
            method = PolicySearch.Method(search.Folds, grouped),
            material = material.Fingerprint,
            groups = grouped ? material.Clips.Select(c => c.Group).ToArray() : null,
            candidates = search.Candidates.Select(c => c.Name).ToArray(),
            budget = search.Budget.TotalSeconds,
            classWeights = search.ClassWeighting.ToString(),
            seed = options.Seed,
            captioner = _backends.Captioner.Identity,
            languageModel = lmIdentity,
            scorer = scorer.Identity,
            generator = material.Labels.Select(generator.IdentityFor).ToArray(),
            threshold = options.Threshold.Setting,
            reflectionRounds = options.ReflectionRounds,
            captionsPerRequest = options.CaptionsPerRequest,
            poolKeep = options.PoolKeepFraction,
            ablations = options.Ablations.ToString(),
            embedder = embedder.Identity,
            classic = augmenter.Identity,
        };
        return _cache.GetOrComputeAsync(
            PolicyStep,
            description,
            t =>
            {
                var folds = new FoldPipelineGenerator(_backends, _cache, _reporter, dataset.Source, output, options);
                return new PolicySearch(embedder, augmenter, folds, _reporter).RunAsync(material.Clips, search, t);
            },
            ct);
    }

    /// <summary>Classic copies of every training clip, seeded per clip and copy exactly as the policy search made them.</summary>
    private List<ManifestClip> MakeClassicCopies(TrainingMaterial material, int copies, AugmentOptions options, CancellationToken ct)
    {
        if (copies <= 0)
        {
            return new List<ManifestClip>();
        }

        var augmenter = new ClassicAugmenter(options.Classic);
        var result = new ConcurrentBag<ManifestClip>();
        var total = material.Clips.Count * copies;
        var done = 0;
        _reporter.Progress("classic", 0, total);
        Parallel.ForEach(material.Clips, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = ct }, clip =>
        {
            for (var copy = 0; copy < copies; copy++)
            {
                var key = StepCache.KeyOf(ClassicStep, new { augmenter = augmenter.Identity, clip = clip.Id, seed = options.Seed, copy });
                var bytes = augmenter.CopyAsWritten(clip.Audio, options.Seed, clip.Id, copy);
                var blob = StepKey.Sha256Hex(bytes);
                _generatedAudio[blob] = bytes;
                result.Add(new ManifestClip
                {
                    Path = $"{FileNames.ForLabel(clip.Label)}/cls-{key[..16]}.wav",
                    Label = clip.Label,
                    Origin = ClipOrigin.Classic,
                    Key = key,
                    Blob = blob,
                    Sources = new[] { clip.Id },
                });
                _reporter.Progress("classic", Interlocked.Increment(ref done), total);
            }
        });
        return result.ToList();
    }

    private byte[] LoadBlobBytes(string blob) =>
        _cache.Store is not null && _cache.Store.TryGet(blob, out var bytes)
            ? bytes
            : throw new SynthioException(DiagnosticCodes.CorruptCacheEntry, $"generated clip {blob} vanished from the cache during the run");

    private sealed record GoldEntry(DatasetClip Source, string? Hash, TrainingClip? Clip, ClipSplit Split);

    /// <summary>A generated clip as the cache keeps it: its generation key, its audio blob and its gold sources.</summary>
    private sealed record GeneratedAudio(string Key, string Blob, IReadOnlyList<string> Sources);

    private static void GuardOutputOutsideDataset(Dataset dataset, string output)
    {
        // The user's dataset is never written to. A folder dataset is every file under it; a CSV dataset is
        // the CSV and the clips it lists, so an output beside the CSV (a project's obj/ folder) is fine.
        if (Directory.Exists(dataset.Source))
        {
            var root = Path.GetFullPath(dataset.Source);
            if (DatasetLoader.IsWithin(output, root))
            {
                throw new SynthioException(DiagnosticCodes.BadOption, $"the output folder '{output}' is inside the dataset '{root}'; choose a folder outside it", output);
            }

            return;
        }

        var inside = new[] { dataset.Source }.Concat(dataset.Clips.Select(c => c.Path))
            .Select(Path.GetFullPath)
            .FirstOrDefault(f => DatasetLoader.IsWithin(f, output));
        if (inside is not null)
        {
            throw new SynthioException(
                DiagnosticCodes.BadOption,
                $"the output folder '{output}' holds part of the dataset ('{inside}'); choose a folder that holds neither the CSV nor any clip it lists",
                output);
        }
    }

    private List<GoldEntry> LoadGold(Dataset dataset, AugmentOptions options)
    {
        var entries = new GoldEntry[dataset.Clips.Count];
        var total = dataset.Clips.Count;
        var done = 0;
        _reporter.Progress("read", 0, total);
        Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism) }, i =>
        {
            var clip = dataset.Clips[i];
            entries[i] = LoadOne(clip, options);
            _reporter.Progress("read", Interlocked.Increment(ref done), total);
        });
        return entries.ToList();
    }

    private GoldEntry LoadOne(DatasetClip clip, AugmentOptions options)
    {
        string hash;
        try
        {
            hash = _hashes.HashOf(clip.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _reporter.Report(Diagnostic.Warning(DiagnosticCodes.UnreadableAudio, $"cannot read '{clip.Path}': {ex.Message}; the clip is skipped", clip.Path));
            return new GoldEntry(clip, null, null, clip.Split);
        }

        if (clip.Split == ClipSplit.Test)
        {
            // Held-out clips are hashed for the manifest but never decoded for generation.
            return new GoldEntry(clip, hash, null, clip.Split);
        }

        AudioBuffer audio;
        try
        {
            audio = GoldClipReader.Read(clip.Path, options.MaxClipSeconds);
        }
        catch (SynthioException ex)
        {
            _reporter.Report(Diagnostic.Warning(ex.Code, $"{ex.Message}; the clip is skipped", clip.Path));
            return new GoldEntry(clip, null, null, clip.Split);
        }

        return new GoldEntry(clip, hash, new TrainingClip(hash, clip.Label, clip.Path, audio) { Group = clip.Group }, clip.Split);
    }

    private async Task<Dictionary<string, string>> CaptionAsync(TrainingMaterial material, CancellationToken ct)
    {
        var result = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var done = 0;
        _reporter.Progress("caption", 0, material.Clips.Count);
        await Parallel.ForEachAsync(material.Clips, ct, async (clip, token) =>
        {
            result[clip.Id] = await _cache.GetOrComputeAsync(
                CaptionStep,
                new { captioner = _backends.Captioner.Identity, clip = clip.Id },
                t => _backends.Captioner.CaptionAsync(clip.Audio, t),
                token).ConfigureAwait(false);
            _reporter.Progress("caption", Interlocked.Increment(ref done), material.Clips.Count);
        }).ConfigureAwait(false);
        return new Dictionary<string, string>(result, StringComparer.Ordinal);
    }

    private async Task<Dictionary<string, SoundComponents>> ExtractAsync(TrainingMaterial material, IReadOnlyDictionary<string, string> captions, CancellationToken ct)
    {
        var result = new ConcurrentDictionary<string, SoundComponents>(StringComparer.Ordinal);
        var done = 0;
        _reporter.Progress("extract", 0, material.Clips.Count);
        await Parallel.ForEachAsync(material.Clips, ct, async (clip, token) =>
        {
            result[clip.Id] = await _backends.LanguageModel.ExtractComponentsAsync(clip.Label, captions[clip.Id], token).ConfigureAwait(false);
            _reporter.Progress("extract", Interlocked.Increment(ref done), material.Clips.Count);
        }).ConfigureAwait(false);
        return new Dictionary<string, SoundComponents>(result, StringComparer.Ordinal);
    }

    /// <summary>MixCap captions for one label: enough requests of N captions each to reach the target.</summary>
    private async Task<IReadOnlyList<CaptionCandidate>> PromptsForLabelAsync(
        string label,
        IReadOnlyList<TrainingClip> clips,
        IReadOnlyDictionary<string, string> captions,
        IReadOnlyDictionary<string, SoundComponents> components,
        int target,
        AugmentOptions options,
        CancellationToken ct)
    {
        var prompts = new List<CaptionCandidate>(target);
        if (options.Ablations.NoMixCap)
        {
            for (var i = 0; i < target; i++)
            {
                var clip = clips[i % clips.Count];
                prompts.Add(new CaptionCandidate(captions[clip.Id], components[clip.Id]));
            }

            return prompts;
        }

        // Pool the label's events and scenes; each request sees its own random share of them (MixCap).
        var composer = new MixCapComposer(_backends.LanguageModel, options.PoolKeepFraction, options.CaptionsPerRequest);
        var pool = MixCapComposer.Pool(clips.Select(c => components[c.Id]));
        var request = 0;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var stale = 0;
        while (prompts.Count < target && stale < 3)
        {
            var batch = await composer.ComposeBatchAsync(label, pool, request, options.Seed, ct).ConfigureAwait(false);
            var added = 0;
            foreach (var caption in batch.Captions)
            {
                if (prompts.Count >= target || !seen.Add(caption))
                {
                    continue;
                }

                var parts = await _backends.LanguageModel.ExtractComponentsAsync(label, caption, ct).ConfigureAwait(false);
                prompts.Add(new CaptionCandidate(caption, parts));
                added++;
            }

            // A model that keeps repeating itself cannot reach the target: stop asking after three dry requests.
            stale = added == 0 ? stale + 1 : 0;
            request++;
        }

        return prompts;
    }

    /// <summary>One generation step through the cache: the clip's WAV bytes become a blob, the record names it.</summary>
    private Task<GeneratedAudio> GenerateAsync(ITextToAudio generator, GenerationRequest request, CancellationToken ct)
    {
        var description = Describe(generator, request);
        var key = StepCache.KeyOf(GenerateStep, description);
        return _cache.GetOrComputeAsync(
            GenerateStep,
            description,
            async t =>
            {
                var clip = generator is ISourceReportingGenerator reporting
                    ? await reporting.GenerateWithSourcesAsync(request, t).ConfigureAwait(false)
                    : new GeneratedClip(await generator.GenerateAsync(request, t).ConfigureAwait(false), Array.Empty<string>());
                var bytes = WavFile.ToBytes(clip.Audio, WavSampleFormat.Pcm16);
                var blob = _cache.Store?.Put(bytes) ?? StepKey.Sha256Hex(bytes);
                _generatedAudio[blob] = bytes;
                return new GeneratedAudio(key, blob, clip.SourceIds);
            },
            ct,
            isUsable: g => _cache.Store is null || TryLoadBlob(g.Blob));
    }

    // A reused clip's blob is read (and its hash checked) once, here: a corrupt or missing blob makes the
    // step recompute it, and the bytes are kept for scoring and writing the outputs.
    private bool TryLoadBlob(string blob)
    {
        if (_generatedAudio.ContainsKey(blob))
        {
            return true;
        }

        if (!_cache.Store!.TryGet(blob, out var bytes))
        {
            return false;
        }

        _generatedAudio[blob] = bytes;
        return true;
    }

    private static object Describe(ITextToAudio generator, GenerationRequest request) => new
    {
        generator = generator.IdentityFor(request.Label),
        label = request.Label,
        caption = request.Caption,
        events = request.Components.Events,
        scenes = request.Components.Scenes,
        duration = Math.Round(request.DurationSeconds, 3),
        seed = request.Seed,
    };

    private AudioBuffer LoadGenerated(string blob)
    {
        if (_generatedAudio.TryGetValue(blob, out var bytes) || (_cache.Store is not null && _cache.Store.TryGet(blob, out bytes)))
        {
            return WavFile.Parse(bytes, $"cache blob {blob}").ToMono();
        }

        throw new SynthioException(DiagnosticCodes.CorruptCacheEntry, $"generated clip {blob} vanished from the cache during the run");
    }

    /// <summary>A seed that depends only on the run seed and the item's identity, never on scheduling.</summary>
    internal static int DerivedSeed(int seed, string label, string purpose, int index) =>
        (int)(Language.SeededRandom.Mix(seed, label, purpose, index) & int.MaxValue);

    /// <summary>
    /// Each label's threshold. With <c>auto</c> it needs what the scorer gives the label's real clips unseen:
    /// a scorer fitted on them says so itself (its calibration held them out); any other scorer never saw them.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, double>> LabelThresholdsAsync(IAudioTextScorer scorer, TrainingMaterial material, ScoreThreshold threshold, CancellationToken cancellationToken)
    {
        var thresholds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var label in material.Labels)
        {
            IReadOnlyList<double> unseen = [];
            if (threshold.FromGold)
            {
                unseen = scorer is IHeldOutGoldScores heldOut
                    ? heldOut.HeldOutGoldScores(label)
                    : await ScoreGoldAsync(scorer, material.ByLabel[label], label, cancellationToken).ConfigureAwait(false);
            }

            thresholds[label] = threshold.ForLabel(unseen);
        }

        if (threshold.FromGold)
        {
            _reporter.Info("score threshold per label (auto: the median score of the label's unseen real clips, at most "
                + $"{threshold.Cap.ToString("0.##", CultureInfo.InvariantCulture)}): "
                + string.Join(", ", thresholds.Select(p => $"{p.Key} {p.Value.ToString("0.00", CultureInfo.InvariantCulture)}")));
        }

        return thresholds;
    }

    private static async Task<IReadOnlyList<double>> ScoreGoldAsync(IAudioTextScorer scorer, IReadOnlyList<TrainingClip> clips, string label, CancellationToken cancellationToken)
    {
        var scores = new List<double>(clips.Count);
        foreach (var clip in clips)
        {
            scores.Add(await scorer.ScoreAsync(clip.Audio, label, cancellationToken).ConfigureAwait(false));
        }

        return scores;
    }

    /// <summary>
    /// A clip, however long, is one example to the classifier: on ESC-10, recordings of 20 and 40 s trained
    /// classifiers 17 and 23 points less accurate on 5-second clips than the same audio cut into 5-second clips
    /// (bench/recording_length.sh).
    /// </summary>
    private void WarnWhenClipsAreRecordings(Dataset dataset, TrainingMaterial material)
    {
        var median = Median(material.Clips.Select(c => c.Audio.DurationSeconds));
        if (median >= LongClipSeconds)
        {
            _reporter.Report(Diagnostic.Warning(
                DiagnosticCodes.LongClips,
                string.Create(CultureInfo.InvariantCulture, $"the training clips last {median:0} s at the median, and the classifier learns one example from each clip, however long; if the app will label sounds a few seconds long, cut the recordings into clips first ('dotnet synthio split <recordings> --out <label-folder> --seconds 5'), and label a long recording window by window (--window)"),
                dataset.Source));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}
