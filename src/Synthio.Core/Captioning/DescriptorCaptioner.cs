using System.Globalization;
using System.Text;
using Synthio.Audio;

namespace Synthio.Captioning;

/// <summary>
/// The embedded captioner: measures a clip (<see cref="AcousticDescriptors"/>) and says what it measured in
/// AudioCaps-like words — a main sound event with its pitch or rhythm, up to two secondary events, one or two
/// scenes (background, distance, room), and the duration. It never sees the label, so the caption describes the
/// audio, and two clips that measure differently read differently.
/// </summary>
/// <remarks>
/// Sentence shape: <c>Main event[, with event[ and event]], scene[, scene], lasting about N seconds.</c>
/// Phrases come from <see cref="AcousticVocabulary"/>, which is what lets the offline composer parse them back.
/// </remarks>
public sealed class DescriptorCaptioner : IAudioCaptioner
{
    /// <summary>Bumped whenever the measurement or the wording changes: it is part of the caption cache key.</summary>
    public const string Version = "2";

    /// <inheritdoc />
    public string Identity => $"descriptor-captioner/{Version}";

    /// <inheritdoc />
    public Task<string> CaptionAsync(AudioBuffer audio, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Describe(AcousticDescriptors.Measure(audio)));
    }

    /// <summary>Words for already measured descriptors.</summary>
    public static string Describe(AcousticDescriptors d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var (mainPhrase, family) = MainEvent(d);
        var main = WithLoudness(WithTimbre(mainPhrase, d, family), d.ActiveLevelDb) + MainDetail(d, family);
        var secondary = SecondaryEvents(d, mainPhrase, family);
        var scenes = Scenes(d, family);

        var text = new StringBuilder(Capitalize(main));
        if (secondary.Count > 0)
        {
            text.Append(", with ").Append(string.Join(" and ", secondary));
        }

        foreach (var scene in scenes)
        {
            text.Append(", ").Append(scene);
        }

        text.Append(", lasting ").Append(DurationWords(d.DurationSeconds)).Append('.');
        return text.ToString();
    }

    /// <summary>
    /// A sound that never falls far below its own level (engines, rain, surf) is sustained: its floor is the
    /// sound itself, not a background. Events in quiet (barks, crows, ticks) have a wide dynamic range.
    /// </summary>
    internal static bool IsSustained(AcousticDescriptors d) => d.DynamicRangeDb < 18 || d.ActiveFraction >= 0.85;

    internal static bool IsTonal(AcousticDescriptors d) => d.VoicedFraction >= 0.35 && d.Harmonicity >= 0.45;

    private static (string Phrase, EventFamily Family) MainEvent(AcousticDescriptors d)
    {
        var tonal = IsTonal(d);
        if (IsSustained(d))
        {
            if (tonal)
            {
                if (d.Flatness >= 0.05)
                {
                    return ("a rough buzzing drone", EventFamily.Pulsing);
                }

                var moving = d.PitchSpreadSemitones >= 3;
                return moving
                    ? ($"a wavering {PitchWord(d.PitchHz)} tone", EventFamily.Tonal)
                    : (PitchWord(d.PitchHz) switch
                    {
                        "low" => "a low droning hum",
                        "mid-pitched" => "a steady mid-pitched tone",
                        "high-pitched" => "a high-pitched whine",
                        _ => "a shrill piercing tone",
                    }, EventFamily.Tonal);
            }

            if (d.FlutterHz > 0 && d.FlutterStrength >= 0.5)
            {
                if (d.LowEnergyRatio >= 0.3)
                {
                    return ("rapid thumping pulses", EventFamily.Pulsing);
                }

                return d.CentroidHz >= 1500 ? ("a rattling motor-like buzz", EventFamily.Pulsing) : ("a throbbing whirr", EventFamily.Pulsing);
            }

            if (d.OnsetRate >= 4)
            {
                return d.CentroidHz >= 1500 ? ("a dense crackle", EventFamily.Impulsive) : ("soft pattering", EventFamily.Impulsive);
            }

            if (d.OnsetRate >= 2)
            {
                return ("crackling pops", EventFamily.Impulsive);
            }

            if (d.SwellPeriodSeconds > 0)
            {
                return ("surging swells of noise", EventFamily.Noisy);
            }

            return d.CentroidHz switch
            {
                >= 3000 when d.Flatness >= 0.2 => ("a bright spray of noise", EventFamily.Noisy),
                >= 2500 => ("a steady hiss", EventFamily.Noisy),
                >= 1000 => ("a rushing roar", EventFamily.Noisy),
                >= 500 => ("a muffled whoosh", EventFamily.Noisy),
                _ => ("a low rumble", EventFamily.Noisy),
            };
        }

        // Events standing out of a quieter background.
        var regular = d.RepetitionStrength >= 0.6 && d.OnsetCount >= 3 && d.DecaySeconds < 0.25;
        if (tonal && !regular)
        {
            var pitch = PitchWord(d.PitchHz);
            if (d.PitchSpreadSemitones >= 3)
            {
                return ($"wailing {pitch} cries", EventFamily.Tonal);
            }

            return pitch is "high-pitched" or "shrill" && d.DecaySeconds < 0.3
                ? ("short high-pitched chirps", EventFamily.Tonal)
                : ($"short {(pitch == "shrill" ? "high-pitched" : pitch)} tonal calls", EventFamily.Tonal);
        }

        if (d.OnsetCount >= 1)
        {
            if (d.OnsetRate >= 3 && !regular)
            {
                return d.CentroidHz >= 2000 ? ("crackling pops", EventFamily.Impulsive) : ("hollow knocks", EventFamily.Impulsive);
            }

            if (d.DecaySeconds >= 0.25 && d.Flatness >= 0.03 && !regular)
            {
                return d.CentroidHz >= 1500 ? ("short snapping bursts", EventFamily.Impulsive) : ("abrupt barks of sound", EventFamily.Impulsive);
            }

            return d.CentroidHz switch
            {
                >= 3000 => ("sharp clicks", EventFamily.Impulsive),
                >= 1500 => ("crisp ticks", EventFamily.Impulsive),
                >= 600 when d.ActiveLevelDb < -30 => ("light taps", EventFamily.Impulsive),
                >= 600 => ("hollow knocks", EventFamily.Impulsive),
                _ => ("dull thuds", EventFamily.Impulsive),
            };
        }

        return d.CentroidHz >= 1500 ? ("a soft breathy rustle", EventFamily.Noisy) : ("a muffled whoosh", EventFamily.Noisy);
    }

    /// <summary>Pitch, rhythm or swell detail appended to the main event (no clause separators inside).</summary>
    private static string MainDetail(AcousticDescriptors d, EventFamily family)
    {
        var detail = new StringBuilder();
        if ((family == EventFamily.Tonal || (family == EventFamily.Pulsing && IsTonal(d))) && d.PitchHz > 0)
        {
            detail.Append(" around ").Append(RoundSignificant(d.PitchHz, 2).ToString(CultureInfo.InvariantCulture)).Append(" Hz");
        }

        if (family == EventFamily.Pulsing && d.FlutterHz > 0 && d.FlutterStrength >= 0.5)
        {
            detail.Append(" fluttering about ").Append(Math.Round(d.FlutterHz).ToString(CultureInfo.InvariantCulture)).Append(" times per second");
            return detail.ToString();
        }

        if (family == EventFamily.Noisy && d.SwellPeriodSeconds > 0)
        {
            detail.Append(" returning every ").Append(Seconds(d.SwellPeriodSeconds));
            return detail.ToString();
        }

        if (family is EventFamily.Impulsive || (family == EventFamily.Tonal && !IsSustained(d)))
        {
            detail.Append(' ').Append(RhythmWords(d));
        }
        else if (family == EventFamily.Noisy)
        {
            detail.Append(d.ActiveLevelDb - d.NoiseFloorDb >= 15 ? " surging unevenly" : " throughout");
        }

        return detail.ToString();
    }

    private static string RhythmWords(AcousticDescriptors d)
    {
        if (d.RepetitionPeriodSeconds > 0 && d.OnsetCount >= 3)
        {
            var perSecond = 1 / d.RepetitionPeriodSeconds;
            return perSecond >= 1.5
                ? $"repeating about {Math.Round(perSecond).ToString(CultureInfo.InvariantCulture)} times per second"
                : $"repeating every {Seconds(d.RepetitionPeriodSeconds)}";
        }

        return d.OnsetCount switch
        {
            <= 1 => "once",
            2 => "twice",
            <= 6 => "several times",
            _ when d.OnsetRate >= 6 => "in a rapid irregular stream",
            _ => "in irregular bursts",
        };
    }

    private static List<string> SecondaryEvents(AcousticDescriptors d, string main, EventFamily family)
    {
        var events = new List<string>();
        void Add(string phrase)
        {
            if (events.Count < 2 && phrase != main && !events.Contains(phrase))
            {
                events.Add(phrase);
            }
        }

        var sustained = IsSustained(d);
        if (sustained && family is EventFamily.Impulsive or EventFamily.Pulsing)
        {
            // The bed under sustained crackle or engine noise.
            Add(d.CentroidHz >= 2500 ? "a steady hiss" : d.CentroidHz >= 1000 ? "a rushing roar" : "a low rumble");
        }

        if (sustained && family == EventFamily.Noisy && d.OnsetRate >= 0.6)
        {
            Add(d.CentroidHz >= 2500 ? "crackling pops" : d.CentroidHz >= 800 ? "hollow knocks" : "dull thuds");
        }

        if (family != EventFamily.Tonal && IsTonal(d))
        {
            Add(d.PitchHz >= 500 ? "a ringing metallic tone" : "a low droning hum");
        }
        else if (family != EventFamily.Tonal && d.Harmonicity >= 0.45 && d.VoicedFraction >= 0.15)
        {
            Add(d.PitchHz >= 500 ? "a soft whistling tone" : "a low droning hum");
        }

        if (d.LowEnergyRatio >= 0.35 && !main.Contains("low", StringComparison.Ordinal) && !main.Contains("thud", StringComparison.Ordinal))
        {
            Add("a low rumble");
        }

        return events;
    }

    private static List<string> Scenes(AcousticDescriptors d, EventFamily family)
    {
        var scenes = new List<string>();
        var background = d.NoiseFloorDb switch
        {
            < -62 => "in near silence",
            < -48 => "in a quiet setting",
            _ when d.BackgroundCentroidHz >= 2500 => "over a constant background hiss",
            _ when d.BackgroundCentroidHz < 700 => "against a low background rumble",
            _ => "amid steady background noise",
        };

        if (!IsSustained(d))
        {
            scenes.Add(background);
        }

        if (family == EventFamily.Impulsive && !IsSustained(d) && d.DecaySeconds >= 0.35)
        {
            scenes.Add("in an echoing space");
        }
        else if (family == EventFamily.Impulsive && !IsSustained(d) && d.DecaySeconds > 0 && d.DecaySeconds < 0.12)
        {
            scenes.Add("in a small dry room");
        }
        else if (d.ActiveLevelDb >= -12 && d.CentroidHz >= 1500)
        {
            scenes.Add("close to the microphone");
        }
        else if (d.ActiveLevelDb < -35 || d.CentroidHz < 500)
        {
            scenes.Add("from a distance");
        }

        if (scenes.Count == 0)
        {
            scenes.Add(background);
        }

        return scenes;
    }

    /// <summary>Colour word for unpitched sustained sounds, whose phrase alone says little about brightness.</summary>
    private static string WithTimbre(string phrase, AcousticDescriptors d, EventFamily family)
    {
        if (family is not (EventFamily.Noisy or EventFamily.Pulsing))
        {
            return phrase;
        }

        var word = d.CentroidHz switch
        {
            < 300 => "deep",
            < 700 => "dark",
            < 1500 => "warm",
            < 3000 => "bright",
            _ => "harsh",
        };
        return phrase.StartsWith("a ", StringComparison.Ordinal) ? "a " + word + " " + phrase[2..] : word + " " + phrase;
    }

    private static string WithLoudness(string phrase, double levelDb)
    {
        var word = levelDb switch
        {
            >= -10 => "very loud",
            >= -20 => "loud",
            >= -32 => null,
            >= -45 => "quiet",
            _ => "faint",
        };
        if (word is null)
        {
            return phrase;
        }

        if (phrase.StartsWith("a ", StringComparison.Ordinal))
        {
            return "a " + word + " " + phrase[2..];
        }

        return word + " " + phrase;
    }

    private static string PitchWord(double hz) => hz switch
    {
        < 180 => "low",
        < 500 => "mid-pitched",
        < 1500 => "high-pitched",
        _ => "shrill",
    };

    private static string DurationWords(double seconds) =>
        seconds < 1 ? "under a second" : "about " + Seconds(seconds);

    private static string Seconds(double seconds)
    {
        var rounded = seconds < 3 ? Math.Round(seconds * 2) / 2 : Math.Round(seconds);
        return rounded == 1 ? "1 second" : rounded.ToString(CultureInfo.InvariantCulture) + " seconds";
    }

    private static double RoundSignificant(double value, int digits)
    {
        if (value <= 0)
        {
            return 0;
        }

        var scale = Math.Pow(10, Math.Floor(Math.Log10(value)) + 1 - digits);
        return Math.Round(Math.Round(value / scale) * scale);
    }

    private static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
