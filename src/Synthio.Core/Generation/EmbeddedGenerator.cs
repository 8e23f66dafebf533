using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Synthio.Audio;
using Synthio.Augmentation;

namespace Synthio.Generation;

/// <summary>
/// The embedded, offline <see cref="ITextToAudio"/> (design §3): builds a new clip for a label out of that
/// label's training clips, steered by the caption's words.
/// </summary>
/// <remarks>
/// <para>
/// Each gold clip is segmented once (<see cref="EventSegmenter"/>) into sound events and quiet stretches,
/// or marked a texture when it has no separable events. A request then either places 1…k events, each
/// pitch-shifted and gain-jittered, at jittered positions over a background bed (quiet stretches of the
/// label's clips, or coloured noise, or the backgrounds the caption names) at a drawn event-to-background
/// ratio; or, for textures, splices randomly chosen, pitch-shifted chunks with crossfades. The caption's
/// words (<see cref="CaptionDirectives"/>) then ask for muffling, distance, a room or hall, repetition,
/// level, pitch and tempo; unasked colouring and reverberation are drawn from <see cref="GeneratorParameters"/>.
/// Named spaces use the audio engine's convolution reverb, "rapid"/"slow" its WSOLA time stretch, and
/// material at another sample rate its band-limited resampler; the per-clip hot path (varispeed, biquads,
/// noise, Schroeder reverb) uses allocation-light kernels to stay far above real time.
/// </para>
/// <para>
/// <see cref="Generate"/> also names the gold clips a result was assembled from
/// (<see cref="GeneratedClip.SourceIds"/>) so training can keep a synthetic clip in its parents'
/// cross-validation fold.
/// </para>
/// <para>
/// Output is deterministic per (label, caption, seed, parameters, material), has exactly the requested
/// duration, and runs at the material's most common sample rate (other clips are resampled to it).
/// </para>
/// </remarks>
public sealed class EmbeddedGenerator : ISourceReportingGenerator
{
    /// <summary>Bump when the output for the same inputs changes: it is part of <see cref="Identity"/>.</summary>
    public const string Version = "1";

    private const string Name = "embedded-generator";

    private readonly Dictionary<string, Lazy<PreparedClip[]>> _material;
    private readonly string _parametersJson;
    private readonly Dictionary<string, string> _labelMaterialHashes;

    /// <param name="material">Per label, its training clips (at least one each).</param>
    /// <param name="parameters">Random ranges; <see cref="GeneratorParameters.Default"/> when null.</param>
    public EmbeddedGenerator(IReadOnlyDictionary<string, IReadOnlyList<GoldClip>> material, GeneratorParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(material);
        Parameters = parameters ?? GeneratorParameters.Default;
        if (Parameters.Validate() is { } problem)
        {
            throw new ArgumentException($"invalid generator parameters: {problem}", nameof(parameters));
        }

        if (material.Count == 0)
        {
            throw new ArgumentException("the generator needs material for at least one label", nameof(material));
        }

        foreach (var (label, clips) in material)
        {
            if (clips.Count == 0)
            {
                throw new ArgumentException($"label '{label}' has no material clips", nameof(material));
            }
        }

        SampleRate = material.Values.SelectMany(c => c)
            .GroupBy(c => c.Audio.SampleRate)
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => g.Key)
            .First().Key;
        _parametersJson = Parameters.ToJson();
        _material = material.ToDictionary(
            kv => kv.Key,
            kv => new Lazy<PreparedClip[]>(() => kv.Value.Select(c => PreparedClip.Create(c, SampleRate)).ToArray()),
            StringComparer.Ordinal);
        Identity = ComputeIdentity(material, _parametersJson);
        _labelMaterialHashes = material.ToDictionary(kv => kv.Key, kv => MaterialHash(new[] { kv }), StringComparer.Ordinal);
    }

    /// <summary>Name, version, a hash of the material (ids and sample bytes) and the parameters.</summary>
    public string Identity { get; }

    public GeneratorParameters Parameters { get; }

    /// <summary>The sample rate of every generated clip.</summary>
    public int SampleRate { get; }

    public IReadOnlyCollection<string> Labels => _material.Keys;

    /// <summary>A generator with the same material and different parameters (preference tuning's candidates).</summary>
    public EmbeddedGenerator WithParameters(GeneratorParameters parameters) => new(this, parameters);

    private EmbeddedGenerator(EmbeddedGenerator other, GeneratorParameters parameters)
    {
        if (parameters.Validate() is { } problem)
        {
            throw new ArgumentException($"invalid generator parameters: {problem}", nameof(parameters));
        }

        Parameters = parameters;
        SampleRate = other.SampleRate;
        _material = other._material;
        _parametersJson = parameters.ToJson();
        _labelMaterialHashes = other._labelMaterialHashes;
        var materialHash = other.Identity.Split('/')[2];
        Identity = $"{Name}/{Version}/{materialHash}/{Hash(_parametersJson)}";
    }

    public Task<AudioBuffer> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Generate(request).Audio);
    }

    /// <summary>As <see cref="GenerateAsync"/>, also naming the gold clips the result was assembled from.</summary>
    public Task<GeneratedClip> GenerateWithSourcesAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Generate(request));
    }

    /// <summary>Synchronous generation (CPU only, no I/O).</summary>
    public GeneratedClip Generate(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_material.TryGetValue(request.Label, out var lazy))
        {
            throw new ArgumentException($"the generator has no material for label '{request.Label}'", nameof(request));
        }

        if (!(request.DurationSeconds > 0) || request.DurationSeconds > 600)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.DurationSeconds, "duration must be in (0, 600] seconds");
        }

        var clips = lazy.Value;
        var random = SplitMixRandom.FromParts(Name, Version, request.Label, request.Caption, request.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), _parametersJson);
        var directives = CaptionDirectives.Parse(request.Caption, request.Components, request.Label);
        var length = Math.Max(1, (int)Math.Round(request.DurationSeconds * SampleRate));
        var assembly = new Assembly(this, clips, directives, length, random);
        return assembly.Run();
    }

    /// <summary>A label's clips are generated from that label's material alone (at the generator's common rate).</summary>
    public string IdentityFor(string label) =>
        _labelMaterialHashes.TryGetValue(label, out var materialHash)
            ? $"{Name}/{Version}/{label}:{materialHash}@{SampleRate}/{Hash(_parametersJson)}"
            : Identity;

    private static string ComputeIdentity(IReadOnlyDictionary<string, IReadOnlyList<GoldClip>> material, string parametersJson) =>
        $"{Name}/{Version}/{MaterialHash(material)}/{Hash(parametersJson)}";

    private static string MaterialHash(IEnumerable<KeyValuePair<string, IReadOnlyList<GoldClip>>> material)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (label, clips) in material.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(label + "\n"));
            foreach (var clip in clips.OrderBy(c => c.Id, StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"{clip.Id}\n{clip.Audio.SampleRate}\n"));
                hash.AppendData(MemoryMarshal.AsBytes(clip.Audio.Samples.AsSpan()));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>A gold clip at the generator's rate with its segmentation and level.</summary>
    private sealed record PreparedClip(string Id, float[] Samples, ClipSegments Segments, double RmsDb)
    {
        public static PreparedClip Create(GoldClip clip, int rate)
        {
            var samples = clip.Audio.SampleRate == rate ? clip.Audio.Samples : Resampler.Resample(clip.Audio, rate).Samples;
            var segments = EventSegmenter.Analyse(new AudioBuffer(samples, rate));
            var rmsDb = 20 * Math.Log10(SignalKernels.Rms(samples) + 1e-6);
            return new PreparedClip(clip.Id, samples, segments, rmsDb);
        }

        public bool HasEvents => !Segments.IsTexture && Segments.Events.Count > 0;
    }

    /// <summary>The state of one generation request: random stream, chosen sources and the buffers being built.</summary>
    private sealed class Assembly
    {
        private readonly PreparedClip[] _all;
        private readonly CaptionDirectives _directives;
        private readonly int _length;
        private readonly int _rate;
        private readonly GeneratorParameters _p;
        private readonly List<string> _used = new();
        private SplitMixRandom _random;

        public Assembly(EmbeddedGenerator owner, PreparedClip[] all, CaptionDirectives directives, int length, SplitMixRandom random)
        {
            _all = all;
            _directives = directives;
            _length = length;
            _rate = owner.SampleRate;
            _p = owner.Parameters;
            _random = random;
        }

        public GeneratedClip Run()
        {
            var sources = PickSources();
            var primary = sources[0];
            float[] mix;
            if (primary.HasEvents)
            {
                mix = BuildEventClip(sources);
            }
            else
            {
                mix = BuildTexture(sources, _length);
                AddCaptionBackgrounds(mix, SignalKernels.Rms(mix));
            }

            ApplyColouring(mix);
            ApplySpace(mix);
            SetLevel(mix, sources);
            return new GeneratedClip(new AudioBuffer(mix, _rate), _used.ToArray());
        }

        private PreparedClip[] PickSources()
        {
            var count = _random.NextInclusive(1, Math.Min(_p.MaxSourceClips, _all.Length));
            var order = Enumerable.Range(0, _all.Length).ToArray();
            for (var i = 0; i < count; i++)
            {
                var j = i + _random.Next(order.Length - i);
                (order[i], order[j]) = (order[j], order[i]);
            }

            return order.Take(count).Select(i => _all[i]).ToArray();
        }

        private void Use(PreparedClip clip)
        {
            if (!_used.Contains(clip.Id))
            {
                _used.Add(clip.Id);
            }
        }

        private int EventCount(PreparedClip[] eventSources)
        {
            if (_directives.EventCount is { } exact)
            {
                return exact;
            }

            var reference = eventSources[_random.Next(eventSources.Length)];
            var perSecond = reference.Segments.Events.Count / Math.Max(0.1, (double)reference.Samples.Length / _rate);
            var count = (int)Math.Round(perSecond * ((double)_length / _rate) * _random.Range(_p.EventRateMin, _p.EventRateMax));
            var low = _directives.Repeated ? Math.Max(3, _p.MinEvents) : _p.MinEvents;
            return Math.Clamp(count, low, Math.Max(low, _p.MaxEvents));
        }

        private float[] BuildEventClip(PreparedClip[] sources)
        {
            var eventSources = sources.Where(s => s.HasEvents).ToArray();
            var events = new float[_length];
            var count = EventCount(eventSources);

            // Rapid events crowd into part of the clip; slow ones spread over all of it.
            var window = _directives.Tempo > 0 ? _random.Range(0.4, 0.7) : 1.0;
            var windowStart = _random.Range(0, 1 - window) * _length;
            var slot = window * _length / count;

            // A repeated sound repeats one event with small variations, as a dog barks the same bark.
            PreparedClip? repeatedClip = null;
            AudioSegment repeatedSegment = default;
            if (_directives.Repeated || _directives.EventCount > 1)
            {
                repeatedClip = eventSources[_random.Next(eventSources.Length)];
                repeatedSegment = repeatedClip.Segments.Events[_random.Next(repeatedClip.Segments.Events.Count)];
            }

            var basePitch = (_directives.Pitch * _random.Range(2, 4)) + _random.Range(-_p.PitchSemitones, _p.PitchSemitones);
            double eventEnergy = 0;
            long eventSamples = 0;
            for (var i = 0; i < count; i++)
            {
                PreparedClip clip;
                AudioSegment segment;
                if (repeatedClip is not null)
                {
                    clip = repeatedClip;
                    segment = repeatedSegment;
                }
                else
                {
                    clip = eventSources[_random.Next(eventSources.Length)];
                    segment = clip.Segments.Events[_random.Next(clip.Segments.Events.Count)];
                }

                Use(clip);
                var semitones = repeatedClip is not null
                    ? basePitch + _random.Range(-0.3, 0.3)
                    : (_directives.Pitch * _random.Range(2, 4)) + _random.Range(-_p.PitchSemitones, _p.PitchSemitones);
                var piece = SignalKernels.Varispeed(clip.Samples.AsSpan(segment.Start, segment.Length), Math.Pow(2, semitones / 12.0));
                if (_directives.Tempo != 0)
                {
                    // "rapid"/"slow": change the event's speed, not its pitch (the audio engine's WSOLA).
                    var rate = _directives.Tempo > 0 ? _random.Range(1.15, 1.4) : _random.Range(0.7, 0.87);
                    piece = AudioTransforms.TimeStretch(new AudioBuffer(piece, _rate), rate).Samples;
                }

                if (piece.Length > _length)
                {
                    Array.Resize(ref piece, _length);
                }

                SignalKernels.Fade(piece, (int)(0.005 * _rate), (int)(0.02 * _rate));
                var gain = (float)Math.Pow(10, _random.Range(-_p.EventGainJitterDb, _p.EventGainJitterDb) / 20);
                var centre = windowStart + ((i + 0.5) * slot) + (_random.Range(-0.5, 0.5) * _p.TimingJitter * slot);
                var offset = (int)Math.Clamp(centre - (piece.Length / 2.0), 0, Math.Max(0, _length - piece.Length));
                SignalKernels.MixInto(events, piece, offset, gain);
                var rms = SignalKernels.Rms(piece) * gain;
                eventEnergy += rms * rms * piece.Length;
                eventSamples += piece.Length;
            }

            var eventRms = eventSamples > 0 ? Math.Sqrt(eventEnergy / eventSamples) : 0;
            var (bed, natural) = BuildBed(sources);
            var bedRms = SignalKernels.Rms(bed);
            if (natural)
            {
                // The label's own quiet stretches keep their recorded level under its events, so a clean
                // recording stays clean and a noisy one noisy.
                SignalKernels.MixInto(events, bed, 0, 1f);
            }
            else if (bedRms > 0 && eventRms > 0)
            {
                var snr = _random.Range(_p.SnrMinDb, _p.SnrMaxDb);
                var bedGain = (float)(eventRms / Math.Pow(10, snr / 20) / bedRms);
                SignalKernels.MixInto(events, bed, 0, bedGain);
            }

            AddCaptionBackgrounds(events, eventRms);
            return events;
        }

        /// <summary>
        /// The label's own background — its quiet stretches, or a texture source — at its recorded level
        /// (natural = true), else coloured noise to be mixed at a drawn SNR.
        /// </summary>
        private (float[] Bed, bool Natural) BuildBed(PreparedClip[] sources)
        {
            // The primary source's own background first: events and background then come from one recording.
            var quietSources = sources.Where(s => s.Segments.Quiet.Count > 0 || !s.HasEvents).ToArray();
            if (quietSources.Length > 0 && Array.IndexOf(quietSources, sources[0]) >= 0)
            {
                quietSources = [sources[0]];
            }

            if (quietSources.Length == 0 || _random.Chance(_p.NoiseBackgroundChance))
            {
                var noise = new float[_length];
                SignalKernels.FillNoise(noise, _random.Chance(0.5) ? NoiseColour.Pink : NoiseColour.Brown, ref _random);
                SignalKernels.LowPass(noise, _rate, _random.Range(1000, 6000));
                return (noise, false);
            }

            var bed = new float[_length];
            var crossfade = (int)(0.03 * _rate);
            var position = 0;
            while (position < _length)
            {
                var clip = quietSources[_random.Next(quietSources.Length)];
                Use(clip);
                var stretch = clip.HasEvents
                    ? clip.Segments.Quiet[_random.Next(clip.Segments.Quiet.Count)]
                    : new AudioSegment(0, clip.Samples.Length);
                var piece = clip.Samples.AsSpan(stretch.Start, stretch.Length).ToArray();
                SignalKernels.Fade(piece, crossfade, crossfade);
                SignalKernels.MixInto(bed, piece, position, 1f);
                position += Math.Max(crossfade + 1, piece.Length - crossfade);
            }

            return (bed, true);
        }

        /// <summary>Crossfaded chunks of the sources, each from a random place and slightly re-pitched.</summary>
        private float[] BuildTexture(PreparedClip[] sources, int length)
        {
            var output = new float[length];
            var crossfade = (int)(0.03 * _rate);
            var position = 0;
            var pitch = (_directives.Pitch * _random.Range(1, 3)) + _random.Range(-_p.PitchSemitones, _p.PitchSemitones);
            while (position < length)
            {
                var clip = sources[_random.Next(sources.Length)];
                Use(clip);
                var chunkSeconds = _random.Range(_p.TextureChunkMinSeconds, _p.TextureChunkMaxSeconds);
                var ratio = Math.Pow(2, (pitch + _random.Range(-0.5, 0.5)) / 12.0);
                var sourceLength = Math.Min(clip.Samples.Length, (int)(chunkSeconds * ratio * _rate) + 2);
                var start = _random.Next(Math.Max(1, clip.Samples.Length - sourceLength));
                var piece = SignalKernels.Varispeed(clip.Samples.AsSpan(start, sourceLength), ratio);
                SignalKernels.Fade(piece, crossfade, crossfade);
                var gain = (float)Math.Pow(10, _random.Range(-_p.EventGainJitterDb, _p.EventGainJitterDb) / 40);
                SignalKernels.MixInto(output, piece, position, gain);
                position += Math.Max(crossfade + 1, piece.Length - crossfade);
            }

            return output;
        }

        /// <summary>Adds the backgrounds the caption names, relative to the foreground's level.</summary>
        private void AddCaptionBackgrounds(float[] mix, double foregroundRms)
        {
            if (_directives.Backgrounds.Count == 0 || foregroundRms <= 0)
            {
                return;
            }

            var layer = new float[_length];
            foreach (var cue in _directives.Backgrounds)
            {
                var background = BackgroundSynthesis.Render(cue.Kind, _length, _rate, ref _random);
                if (cue.Muffled)
                {
                    SignalKernels.LowPass(background, _rate, 700);
                }

                var rms = SignalKernels.Rms(background);
                if (rms <= 0)
                {
                    continue;
                }

                var snr = _random.Range(_p.SnrMinDb, _p.SnrMaxDb) + (cue.Level < 0 ? 8 : cue.Level > 0 ? -6 : 0);
                var gain = (float)(foregroundRms / Math.Pow(10, snr / 20) / rms);
                SignalKernels.MixInto(layer, background, 0, gain);
            }

            SignalKernels.MixInto(mix, layer, 0, 1f);
        }

        private void ApplyColouring(float[] mix)
        {
            if (_directives.Muffled)
            {
                SignalKernels.LowPass(mix, _rate, _random.Range(500, 1200));
                SignalKernels.LowPass(mix, _rate, _random.Range(900, 1500));
            }
            else if (_directives.Tinny)
            {
                SignalKernels.BandPass(mix, _rate, _random.Range(350, 600), _random.Range(2800, 3600));
            }
            else if (_random.Chance(_p.FilterChance))
            {
                if (_random.Chance(0.5))
                {
                    SignalKernels.LowPass(mix, _rate, _random.Range(_p.LowPassMinHz, Math.Max(_p.LowPassMinHz, _rate * 0.4)));
                }
                else
                {
                    SignalKernels.HighPass(mix, _rate, _random.Range(60, Math.Max(60, _p.HighPassMaxHz)));
                }
            }

            if (_random.Chance(_p.EqualiserChance))
            {
                var centre = Math.Exp(_random.Range(Math.Log(150), Math.Log(Math.Min(6000, _rate * 0.4))));
                SignalKernels.Peak(mix, _rate, centre, _random.Range(-_p.EqualiserGainDb, _p.EqualiserGainDb), _random.Range(0.5, 2.0));
            }

            if (_directives.Distance == DistanceCue.Far)
            {
                // Air absorbs highs over distance.
                SignalKernels.LowPass(mix, _rate, _random.Range(2000, 4500));
            }
        }

        private void ApplySpace(float[] mix)
        {
            var farWet = _directives.Distance == DistanceCue.Far ? 0.15 : 0;
            switch (_directives.Room)
            {
                case RoomCue.LargeHall:
                    Convolve(mix, _random.Range(1.5, 2.8), _random.Range(0.35, 0.55) + farWet);
                    break;
                case RoomCue.SmallRoom:
                    Convolve(mix, _random.Range(0.3, 0.7), _random.Range(0.15, 0.3) + farWet);
                    break;
                case RoomCue.Open:
                    if (farWet > 0)
                    {
                        SignalKernels.Reverb(mix, _rate, _random.Range(0.4, 0.9), farWet, 1.0);
                    }

                    break;
                default:
                    if (farWet > 0 || (_directives.Distance != DistanceCue.Near && _random.Chance(_p.ReverbChance)))
                    {
                        SignalKernels.Reverb(mix, _rate, _random.Range(0.3, 1.5), _random.Range(0.05, Math.Max(0.05, _p.ReverbWetMax)) + farWet, _random.Range(0.6, 1.4));
                    }

                    break;
            }
        }

        /// <summary>
        /// A named space gets the audio engine's convolution reverb (a synthetic room response of the given
        /// RT60); unnamed random reverberation uses the cheaper Schroeder kernel to keep generation fast.
        /// </summary>
        private void Convolve(float[] mix, double decaySeconds, double wet)
        {
            var seed = (int)(_random.NextUInt64() & 0x7FFFFFFF);
            var reverberant = AudioTransforms.Reverb(new AudioBuffer(mix, _rate), decaySeconds, Math.Min(0.9, wet), seed).Samples;
            reverberant.AsSpan(0, Math.Min(reverberant.Length, mix.Length)).CopyTo(mix);
        }

        private void SetLevel(float[] mix, PreparedClip[] sources)
        {
            var rms = SignalKernels.Rms(mix);
            if (rms <= 0)
            {
                return;
            }

            var reference = sources[_random.Next(sources.Length)].RmsDb;
            var targetDb = reference + _random.Range(-_p.LevelJitterDb, _p.LevelJitterDb)
                + (_directives.Level * _random.Range(4, 8))
                + (_directives.Distance == DistanceCue.Far ? -_random.Range(5, 9) : _directives.Distance == DistanceCue.Near ? 2 : 0);
            var gain = (float)(Math.Pow(10, targetDb / 20) / rms);
            var peak = SignalKernels.Peak(mix) * gain;
            if (peak > 0.98f)
            {
                gain *= 0.98f / peak;
            }

            SignalKernels.Scale(mix, gain);
        }
    }
}
