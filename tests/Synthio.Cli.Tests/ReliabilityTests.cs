using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Synthio.Audio;
using Synthio.Tests;

namespace Synthio.Cli.Tests;

/// <summary>Concurrent runs on one cache, runs killed at random moments, and hostile input.</summary>
public sealed class ReliabilityTests
{
    [Fact]
    public async Task FourProcessesShareOneCacheAndGenerateEachClipOnce()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"), clipsPerLabel: 4);
        var cache = temp.Combine("cache");
        var runs = Enumerable.Range(0, 4)
            .Select(i => Task.Run(() => CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine($"out{i}"), "--multiplier", "2", "--cache-dir", cache)))
            .ToArray();
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.All));

        var manifests = Enumerable.Range(0, 4).Select(i => JsonDocument.Parse(File.ReadAllText(temp.Combine($"out{i}", "manifest.json"))).RootElement).ToArray();
        var keys = manifests.Select(m => SyntheticKeys(m)).ToArray();
        Assert.All(keys, k => Assert.Equal(keys[0], k));
        var generated = manifests.Sum(m => m.GetProperty("steps").GetProperty("generate").GetProperty("computed").GetInt32());
        var distinctAttempts = manifests[0].GetProperty("stats").EnumerateObject().Sum(s => s.Value.GetProperty("generated").GetInt32());
        Assert.Equal(distinctAttempts, generated);

        var verify = CliRunner.Run(temp.Path, "cache", "verify", "--cache-dir", cache);
        Assert.True(verify.ExitCode == 0, verify.All);
    }

    [Fact]
    public async Task TwoTrainProcessesShareEachTrainerSearchAndShipTheSameModel()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"), clipsPerLabel: 6);
        var cache = temp.Combine("cache");
        var augment = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("aug"), "--multiplier", "classic:2", "--holdout", "0.34", "--cache-dir", cache);
        Assert.True(augment.ExitCode == 0, augment.All);

        // A wall-clock budget: two searches of their own could stop at different trials and ship different models.
        var runs = Enumerable.Range(0, 2)
            .Select(i => Task.Run(() => CliRunner.Run(temp.Path, "train", data, "--synthetic", temp.Combine("aug"), "--model", temp.Combine($"model{i}.zip"), "--time-budget", "3", "--cache-dir", cache)))
            .ToArray();
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.All));

        // Gold-only and gold + classic copies: two searches in all, each run by one process and reused by the other.
        var output = string.Join('\n', results.Select(r => r.All));
        Assert.Equal(2, Regex.Matches(output, "trainer search: best ").Count);
        Assert.Equal(2, Regex.Matches(output, "trainer search: reused the search").Count);
        Assert.Equal(File.ReadAllBytes(temp.Combine("model0.zip")), File.ReadAllBytes(temp.Combine("model1.zip")));

        var verify = CliRunner.Run(temp.Path, "cache", "verify", "--cache-dir", cache);
        Assert.True(verify.ExitCode == 0, verify.All);
    }

    [Fact]
    public void RunsKilledAtRandomMomentsNeverPoisonTheNext()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var cache = temp.Combine("cache");
        var out1 = temp.Combine("out");
        var random = new Random(20);
        for (var trial = 0; trial < 20; trial++)
        {
            // A different seed each trial gives the killed run fresh work to be in the middle of.
            var start = new ProcessStartInfo(ProcessRunner.DotnetHost) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { CliRunner.CliPath, "augment", data, "--out", out1, "--multiplier", "3", "--seed", trial.ToString(), "--cache-dir", cache })
            {
                start.ArgumentList.Add(argument);
            }

            using (var victim = Process.Start(start)!)
            {
                Thread.Sleep(random.Next(200, 2500));
                if (!victim.HasExited)
                {
                    victim.Kill(entireProcessTree: true); // SIGKILL on Linux
                }

                victim.WaitForExit();
            }

            var next = CliRunner.Run(temp.Path, "augment", data, "--out", out1, "--multiplier", "3", "--seed", trial.ToString(), "--cache-dir", cache);
            Assert.True(next.ExitCode == 0, $"trial {trial}: {next.All}");
            var verify = CliRunner.Run(temp.Path, "cache", "verify", "--cache-dir", cache);
            Assert.True(verify.ExitCode == 0, $"trial {trial}: {verify.All}");
            var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(out1, "manifest.json"))).RootElement;
            foreach (var clip in manifest.GetProperty("clips").EnumerateArray().Where(c => c.GetProperty("origin").GetString() == "synthetic"))
            {
                // Every clip the manifest names is there and decodes.
                var audio = WavFile.ReadMono(Path.Combine(out1, clip.GetProperty("path").GetString()!));
                Assert.True(audio.Length > 0);
            }
        }
    }

    [Fact]
    public void CtrlCEndsTheRunWithItsOwnCodeAndTheNextRunResumes()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // SIGINT is sent with kill(1)
        }

        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"), clipsPerLabel: 6);
        var cache = temp.Combine("cache");
        string[] arguments = { "augment", data, "--out", temp.Combine("out"), "--multiplier", "auto", "--cache-dir", cache, "--log-format", "msbuild" };
        // A non-interactive shell starts background jobs (`cmd &`, nohup) with SIGINT ignored, and children inherit
        // that; the runtime keeps an inherited SIG_IGN, so the run would never see the Ctrl+C. env(1) resets it.
        var (host, prefix) = SigIntIsIgnored()
            ? ("env", new[] { "--default-signal=INT", ProcessRunner.DotnetHost })
            : (ProcessRunner.DotnetHost, Array.Empty<string>());
        var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in prefix.Concat(new[] { CliRunner.CliPath }).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var output = new System.Text.StringBuilder();
        using var searching = new ManualResetEventSlim();
        using var victim = new Process { StartInfo = start };
        void Received(object sender, DataReceivedEventArgs e)
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("augmentation policy: scoring", StringComparison.Ordinal) == true)
            {
                searching.Set();
            }
        }

        victim.OutputDataReceived += Received;
        victim.ErrorDataReceived += Received;
        victim.Start();
        victim.BeginOutputReadLine();
        victim.BeginErrorReadLine();
        try
        {
            Assert.True(searching.Wait(TimeSpan.FromMinutes(2)), $"the policy search never started:\n{output}");
            Assert.False(victim.HasExited, $"the run ended before it could be cancelled:\n{output}");
            using (var kill = Process.Start("kill", new[] { "-INT", victim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            {
                kill.WaitForExit();
            }

            Assert.True(victim.WaitForExit(TimeSpan.FromSeconds(60)), "the run did not stop within a minute of Ctrl+C");
            victim.WaitForExit();
        }
        finally
        {
            if (!victim.HasExited)
            {
                victim.Kill(entireProcessTree: true);
            }
        }

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        Assert.True(victim.ExitCode == 1, $"exit code {victim.ExitCode}:\n{text}");
        Assert.Matches(@"error SYN9003 : cancelled", text);
        Assert.DoesNotContain("SYN9999", text, StringComparison.Ordinal);

        var next = CliRunner.Run(temp.Path, arguments);
        Assert.True(next.ExitCode == 0, next.All);
        var verify = CliRunner.Run(temp.Path, "cache", "verify", "--cache-dir", cache);
        Assert.True(verify.ExitCode == 0, verify.All);
    }

    /// <summary>Whether this process ignores SIGINT (Linux: bit 2 of SigIgn in /proc/self/status).</summary>
    private static bool SigIntIsIgnored()
    {
        var line = OperatingSystem.IsLinux() ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) : null;
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }

    [Fact]
    public void HostileLabelsBecomeSafeStableFolderNamesInsideTheOutput()
    {
        using var temp = new TempDirectory();
        var dataset = temp.Combine("ds");
        var tones = CliRunner.WriteToneDataset(Path.Combine(dataset, "tones"));
        var labels = new[] { "../escape", "a/b", "CON", "día de lluvia", "with space", "..", "low" };
        var rows = new List<string> { "path,label" };
        var files = Directory.GetFiles(tones, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < labels.Length; i++)
        {
            for (var k = 0; k < 2; k++)
            {
                var file = files[((i * 2) + k) % files.Length];
                rows.Add($"{Path.GetRelativePath(dataset, file)},\"{labels[i]}\"");
            }
        }

        var csv = Path.Combine(dataset, "data.csv");
        File.WriteAllLines(csv, rows);
        var output = temp.Combine("out");
        var first = CliRunner.Run(temp.Path, "augment", csv, "--out", output, "--multiplier", "1", "--threshold", "0", "--cache-dir", temp.Combine("cache"));
        Assert.True(first.ExitCode == 0, first.All);
        var written = Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(temp.Combine("cache"), StringComparison.Ordinal) && !f.StartsWith(dataset, StringComparison.Ordinal))
            .ToList();
        Assert.All(written, f => Assert.StartsWith(output + Path.DirectorySeparatorChar, f));
        var folders = Directory.GetDirectories(output).Select(Path.GetFileName).ToHashSet();
        Assert.Equal(labels.Length, folders.Count);
        Assert.Contains("low", folders);
        Assert.DoesNotContain("CON", folders);
        Assert.DoesNotContain("..", folders);

        var second = CliRunner.Run(temp.Path, "augment", csv, "--out", temp.Combine("out2"), "--multiplier", "1", "--threshold", "0", "--cache-dir", temp.Combine("cache"));
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Equal(folders, Directory.GetDirectories(temp.Combine("out2")).Select(Path.GetFileName).ToHashSet());
    }

    [Fact]
    public void CsvRowsOutsideTheFolderAreRefusedUnlessAllowed()
    {
        using var temp = new TempDirectory();
        var tones = CliRunner.WriteToneDataset(temp.Combine("tones"));
        Directory.CreateDirectory(temp.Combine("lists"));
        var csv = temp.Combine("lists", "data.csv");
        File.WriteAllLines(csv, new[] { "path,label" }.Concat(Directory.GetFiles(tones, "*.wav", SearchOption.AllDirectories).Select(f => $"../tones/{Path.GetFileName(Path.GetDirectoryName(f))}/{Path.GetFileName(f)},{Path.GetFileName(Path.GetDirectoryName(f))}")));
        var refused = CliRunner.Run(temp.Path, "augment", csv, "--out", temp.Combine("out"), "--cache-dir", temp.Combine("cache"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("SYN1007", refused.Error);
        var allowed = CliRunner.Run(temp.Path, "augment", csv, "--out", temp.Combine("out"), "--multiplier", "1", "--cache-dir", temp.Combine("cache"), "--allow-outside-paths");
        Assert.True(allowed.ExitCode == 0, allowed.All);

        // train (without a manifest) and evaluate read the CSV themselves: the same rule, the same switch.
        var trainRefused = CliRunner.Run(temp.Path, "train", csv, "--model", temp.Combine("model.zip"), "--time-budget", "2", "--cache-dir", temp.Combine("cache"));
        Assert.Equal(1, trainRefused.ExitCode);
        Assert.Contains("SYN1007", trainRefused.Error);
        var trainAllowed = CliRunner.Run(temp.Path, "train", csv, "--model", temp.Combine("model.zip"), "--time-budget", "2", "--cache-dir", temp.Combine("cache"), "--allow-outside-paths");
        Assert.True(trainAllowed.ExitCode == 0, trainAllowed.All);
        Assert.True(File.Exists(temp.Combine("model.zip")));
        var evaluate = new[] { "evaluate", csv, "--n", "2", "--seeds", "1", "--modes", "gold", "--split", "stratified:0.34", "--trainers", "LbfgsMaximumEntropy", "--max-trials", "1", "--out", temp.Combine("eval"), "--cache-dir", temp.Combine("cache") };
        var evaluateRefused = CliRunner.Run(temp.Path, evaluate);
        Assert.Equal(1, evaluateRefused.ExitCode);
        Assert.Contains("SYN1007", evaluateRefused.Error);
        var evaluateAllowed = CliRunner.Run(temp.Path, evaluate.Append("--allow-outside-paths").ToArray());
        Assert.True(evaluateAllowed.ExitCode == 0, evaluateAllowed.All);
        Assert.True(File.Exists(temp.Combine("eval", "results.json")));
    }

    [Fact]
    public void AnOutputBesideACsvIsFineAndOneHoldingItsClipsIsRefused()
    {
        using var temp = new TempDirectory();
        var tones = CliRunner.WriteToneDataset(temp.Combine("project", "audio"));
        var csv = temp.Combine("project", "data.csv");
        var clips = Directory.GetFiles(tones, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        File.WriteAllLines(csv, new[] { "path,label" }.Concat(clips.Select(f => $"audio/{Path.GetFileName(Path.GetDirectoryName(f))}/{Path.GetFileName(f)},{Path.GetFileName(Path.GetDirectoryName(f))}")));
        var before = CliRunner.Snapshot(tones);

        // A project keeps its CSV beside obj/, where the build writes.
        var beside = CliRunner.Run(temp.Path, "augment", csv, "--out", temp.Combine("project", "obj", "augment"), "--multiplier", "1", "--cache-dir", temp.Combine("cache"));
        Assert.True(beside.ExitCode == 0, beside.All);
        Assert.Equal(
            clips.Select(Path.GetFullPath),
            File.ReadAllLines(temp.Combine("project", "obj", "augment", "dataset-files.txt")));

        foreach (var output in new[] { temp.Combine("project"), tones, Path.Combine(tones, "low") })
        {
            var refused = CliRunner.Run(temp.Path, "augment", csv, "--out", output, "--multiplier", "1", "--cache-dir", temp.Combine("cache"));
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("SYN9001", refused.Error);
        }

        Assert.Equal(before, CliRunner.Snapshot(tones));
    }

    [Fact]
    public void EmptyOverlongAndSilentClipsAreSkippedByAugmentAndTrainAndFlaggedByPredict()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        var empty = Path.Combine(data, "low", "empty.wav");
        WavFile.WriteMono(empty, new AudioBuffer(Array.Empty<float>(), 16000));
        var longClip = Path.Combine(data, "high", "ten-minutes.wav");
        WavFile.WriteMono(longClip, new AudioBuffer(new float[8000 * 601], 8000));
        var silent = Path.Combine(data, "high", "silence.wav");
        WavFile.WriteMono(silent, new AudioBuffer(new float[16000], 16000));
        var augment = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("out"), "--multiplier", "1", "--cache-dir", temp.Combine("cache"), "--log-format", "msbuild");
        Assert.True(augment.ExitCode == 0, augment.All);

        // train without a manifest reads the dataset itself, and must refuse the same clips.
        var train = CliRunner.Run(temp.Path, "train", data, "--model", temp.Combine("model.zip"), "--time-budget", "2", "--cache-dir", temp.Combine("cache"), "--log-format", "msbuild");
        Assert.True(train.ExitCode == 0, train.All);
        foreach (var run in new[] { augment, train })
        {
            Assert.Contains($"{empty} : warning SYN1009 :", run.Error);
            Assert.Contains($"{longClip} : warning SYN1008 :", run.Error);
            Assert.Contains($"{silent} : warning SYN1013 :", run.Error);
        }

        var manifest = File.ReadAllText(temp.Combine("out", "manifest.json"));
        Assert.DoesNotContain("silence.wav", manifest, StringComparison.Ordinal);
        Assert.Contains("low-0", manifest, StringComparison.Ordinal);

        // predict has nothing to classify in an empty file (an error for that file), and answers for silence with a warning.
        var tone = Path.Combine(data, "low", "low-0.wav");
        var predict = CliRunner.Run(temp.Path, "predict", "--model", temp.Combine("model.zip"), empty, silent, tone, "--log-format", "msbuild");
        Assert.True(predict.ExitCode == 1, predict.All);
        Assert.Contains($"{empty} : error SYN1009 :", predict.Error);
        Assert.Contains($"{silent} : warning SYN1013 :", predict.Error);
        Assert.Matches($"{Regex.Escape(silent)}: (low|high) ", predict.Output);
        Assert.Contains($"{tone}: low ", predict.Output);
        Assert.DoesNotContain($"{empty}:", predict.Output);
    }

    [Fact]
    public void AugmentTrainAndPredictReadFlacMp3OggVorbisOpusInOggAndWebmAndAiff()
    {
        using var temp = new TempDirectory();
        var data = CliRunner.WriteToneDataset(temp.Combine("data"));
        Directory.Delete(Path.Combine(data, "low"), recursive: true);
        Directory.CreateDirectory(Path.Combine(data, "a440"));
        var encoded = new[] { "sine440-16k-mono16.flac", "sine440-16k-wasted-bits.flac", "stereo-440-660-16k.mp3", "stereo-440-660-16k.ogg", "mono-440-16k.opus", "stereo-440-660-16k.webm", "stereo-16k-24bit.aif" };
        foreach (var name in encoded)
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "AudioFiles", name), Path.Combine(data, "a440", name));
        }

        var cache = temp.Combine("cache");
        var augment = CliRunner.Run(temp.Path, "augment", data, "--out", temp.Combine("aug"), "--multiplier", "2", "--cache-dir", cache);
        var train = CliRunner.Run(temp.Path, "train", data, "--synthetic", temp.Combine("aug"), "--model", temp.Combine("model.zip"), "--time-budget", "2", "--cache-dir", cache);
        var predict = CliRunner.Run(temp.Path, "predict", "--model", temp.Combine("model.zip"), Path.Combine(data, "a440"));

        Assert.True(augment.ExitCode == 0, augment.All);
        Assert.DoesNotContain("SYN100", augment.All); // no clip skipped as unreadable or not audio
        using var manifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("aug", "manifest.json")));
        var gold = manifest.RootElement.GetProperty("clips").EnumerateArray().Where(c => c.GetProperty("origin").GetString() == "gold").Select(c => Path.GetFileName(c.GetProperty("path").GetString()!));
        Assert.Superset(encoded.ToHashSet(), gold.ToHashSet());
        Assert.True(train.ExitCode == 0, train.All);
        Assert.True(predict.ExitCode == 0, predict.All);
        Assert.All(encoded, name => Assert.Contains($"{name}: a440 ", predict.Output));
    }

    private static IReadOnlySet<string> SyntheticKeys(JsonElement manifest) => manifest.GetProperty("clips").EnumerateArray()
        .Where(c => c.GetProperty("origin").GetString() == "synthetic")
        .Select(c => c.GetProperty("key").GetString()!)
        .ToHashSet();
}
