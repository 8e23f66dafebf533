using Synthio.Diagnostics;
using Synthio.Generation;
using Synthio.Language;

namespace Synthio.Core.Tests;

public class GenerationReflectionLoopTests
{
    private sealed class Recorder
    {
        public int Scored;
        public int Reflected;
        public List<SoundComponents> TriedSeen { get; } = new();
    }

    /// <summary>Captions containing "good" make clips that score 0.95; others score 0.2.</summary>
    private static ReflectionLoop<string> Loop(ReflectionOptions options, Recorder recorder, string[] captions, bool reflectionHelps = true) =>
        new(
            options,
            (label, count, seed, ct) => Task.FromResult<IReadOnlyList<CaptionCandidate>>(
                captions.Select(c => new CaptionCandidate(c, new SoundComponents([c + " event"], [c + " scene"]))).ToArray()),
            (label, candidate, seed, ct) => Task.FromResult($"{candidate.Caption}#{seed}"),
            (label, clip, ct) =>
            {
                recorder.Scored++;
                return Task.FromResult(clip.Contains("good", StringComparison.Ordinal) ? 0.95 : 0.2);
            },
            (label, rejected, tried, seed, ct) =>
            {
                recorder.Reflected++;
                recorder.TriedSeen.Add(tried);
                var text = reflectionHelps ? $"good rewrite of {rejected.Caption}" : $"another try at {rejected.Caption}";
                return Task.FromResult(new CaptionCandidate(text, new SoundComponents([$"rewrite {recorder.Reflected}"], [])));
            });

    [Fact]
    public async Task RejectedCaptionsAreRewrittenAndRegenerated()
    {
        var recorder = new Recorder();
        var outcome = await Loop(new ReflectionOptions(), recorder, ["good one", "bad one", "good two", "bad two"]).RunAsync("dog", 2, 4, seed: 1);
        Assert.Equal(new LabelGenerationStats("dog", 2, 4, Generated: 6, Accepted: 4, Rejected: 2, Revised: 2) { Threshold = 0.85 }, outcome.Stats);
        Assert.True(outcome.Stats.ReachedTarget);
        Assert.Null(outcome.Stats.TargetMissedWarning(0.85, 2));
        Assert.Equal(4, outcome.Accepted.Count());
        Assert.All(outcome.Accepted, a => Assert.True(a.Score >= 0.85));
        Assert.Equal(2, outcome.Attempts.Count(a => a.Round == 1));

        // Reflection is told every component tried so far, including the first round's.
        Assert.Contains("bad one event", recorder.TriedSeen[0].Events);
        Assert.Contains("good two scene", recorder.TriedSeen[0].Scenes);
        Assert.Contains("rewrite 1", recorder.TriedSeen[1].Events);
    }

    [Fact]
    public async Task AnUnreachableTargetStopsAfterTheRoundsWithAWarning()
    {
        var recorder = new Recorder();
        var outcome = await Loop(new ReflectionOptions(ReflectionRounds: 2), recorder, ["bad a", "bad b", "bad c"], reflectionHelps: false).RunAsync("rain", 3, 3, seed: 0);
        Assert.Equal(9, outcome.Stats.Generated);
        Assert.Equal(0, outcome.Stats.Accepted);
        Assert.Equal(9, outcome.Stats.Rejected);
        Assert.Equal(6, outcome.Stats.Revised);
        Assert.Equal(3, outcome.Stats.Missing);
        var warning = outcome.Stats.TargetMissedWarning(0.85, 2);
        Assert.NotNull(warning);
        Assert.Equal(DiagnosticCodes.LabelTargetMissed, warning!.Code);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("0 of 3", warning.Message, StringComparison.Ordinal);
        Assert.Contains("rain", warning.Message, StringComparison.Ordinal);
        Assert.EndsWith("synthetic", warning.Message, StringComparison.Ordinal);
        Assert.EndsWith(". Try this.", outcome.Stats.TargetMissedWarning(0.85, 2, "Try this.")!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheFilterEveryClipIsKeptUnscored()
    {
        var recorder = new Recorder();
        var options = new ReflectionOptions(Ablations: new GenerationAblations(NoFilter: true));
        var outcome = await Loop(options, recorder, ["bad a", "bad b"]).RunAsync("dog", 1, 2, seed: 0);
        Assert.Equal(0, recorder.Scored);
        Assert.Equal(0, recorder.Reflected);
        Assert.Equal(2, outcome.Stats.Accepted);
        Assert.Null(outcome.Stats.Threshold);
        Assert.All(outcome.Attempts, a => Assert.Null(a.Score));
    }

    [Fact]
    public async Task WithoutReflectionRejectedCaptionsAreDropped()
    {
        var recorder = new Recorder();
        var options = new ReflectionOptions(Ablations: new GenerationAblations(NoReflection: true));
        var outcome = await Loop(options, recorder, ["good a", "bad b", "bad c"]).RunAsync("dog", 1, 3, seed: 0);
        Assert.Equal(0, recorder.Reflected);
        Assert.Equal(new LabelGenerationStats("dog", 1, 3, 3, 1, 2, 0) { Threshold = 0.85 }, outcome.Stats);
    }

    [Fact]
    public async Task FewerCaptionsThanTheTargetAreReusedWithNewSeeds()
    {
        var recorder = new Recorder();
        var outcome = await Loop(new ReflectionOptions(), recorder, ["good only"]).RunAsync("dog", 1, 3, seed: 5);
        Assert.Equal(3, outcome.Stats.Accepted);
        Assert.Equal(3, outcome.Attempts.Select(a => a.Seed).Distinct().Count());
        Assert.Equal(3, outcome.Attempts.Select(a => a.Clip).Distinct().Count());
    }

    [Fact]
    public async Task AZeroTargetDoesNothing()
    {
        var recorder = new Recorder();
        var outcome = await Loop(new ReflectionOptions(), recorder, ["good"]).RunAsync("dog", 4, 0, seed: 0);
        Assert.Empty(outcome.Attempts);
        Assert.True(outcome.Stats.ReachedTarget);
    }

    [Theory]
    [InlineData("", false, false, false, false, "none")]
    [InlineData("none", false, false, false, false, "none")]
    [InlineData("no-filter,no-alignment", false, true, false, true, "no-filter,no-alignment")]
    [InlineData("No_Reflection + no-mixcap", true, false, true, false, "no-mixcap,no-reflection")]
    public void AblationSwitchesParseToACanonicalForm(string text, bool mixCap, bool filter, bool reflection, bool alignment, string canonical)
    {
        var switches = GenerationAblations.Parse(text);
        Assert.Equal(new GenerationAblations(mixCap, filter, reflection, alignment), switches);
        Assert.Equal(canonical, switches.ToString());
        Assert.Equal(switches, GenerationAblations.Parse(switches.ToString()));
    }

    [Fact]
    public void UnknownAblationsAreRejectedWithTheValidNames()
    {
        var error = Assert.Throws<FormatException>(() => GenerationAblations.Parse("no-dpo"));
        Assert.Contains("no-alignment", error.Message, StringComparison.Ordinal);
    }
}
