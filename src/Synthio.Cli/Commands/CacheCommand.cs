using System.CommandLine;
using System.Globalization;
using Synthio.Caching;

namespace Synthio.Cli.Commands;

/// <summary><c>dotnet synthio cache status|verify|prune</c>.</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var command = new Command("cache", "Inspect and maintain the shared cache of generated audio and step results.");

        var status = new Command("status", "Show the cache's folder, size, entries and the hit rate of the last run.");
        status.Options.Add(SharedOptions.CacheDir);
        status.SetAction(parse => CommandRunner.RunAsync(parse, _ =>
        {
            var root = CacheLocation.Resolve(parse.GetValue(SharedOptions.CacheDir));
            var s = CacheMaintenance.Status(root);
            Console.WriteLine($"cache: {s.Root}");
            Console.WriteLine($"blobs: {s.Blobs} ({FormatBytes(s.BlobBytes)})");
            Console.WriteLine($"step results: {s.StepRecords} ({FormatBytes(s.RecordBytes)})");
            Console.WriteLine($"total: {FormatBytes(s.TotalBytes)}");
            Console.WriteLine(s.LastRun is null
                ? "last run: none recorded"
                : $"last run: {s.LastRun.Command} at {s.LastRun.FinishedUtc:u}: {s.LastRun.Reused} reused, {s.LastRun.Computed} computed (hit rate {s.LastRun.HitRate:P0})");
            return Task.FromResult(CommandRunner.Success);
        }));

        var verify = new Command("verify", "Rehash every blob and check every step record; corrupt entries are reported (and removed with --repair).");
        verify.Options.Add(SharedOptions.CacheDir);
        var repair = new Option<bool>("--repair") { Description = "Remove corrupt entries so they are recomputed on next use." };
        verify.Options.Add(repair);
        verify.SetAction(parse => CommandRunner.RunAsync(parse, reporter =>
        {
            var root = CacheLocation.Resolve(parse.GetValue(SharedOptions.CacheDir));
            var result = CacheMaintenance.Verify(root, parse.GetValue(repair), new Progress<(int Done, int Total)>(p => reporter.Progress("verify", p.Done, p.Total)));
            foreach (var file in result.CorruptBlobs)
            {
                Console.WriteLine($"corrupt blob: {file}");
            }

            foreach (var file in result.CorruptRecords)
            {
                Console.WriteLine($"corrupt step record: {file}");
            }

            if (result.RemovedTemporaryFiles > 0)
            {
                Console.WriteLine($"removed {result.RemovedTemporaryFiles} temporary files left by runs that were killed");
            }

            var bad = result.CorruptBlobs.Count + result.CorruptRecords.Count;
            Console.WriteLine($"checked {result.Checked} entries: {(bad == 0 ? "all intact" : $"{bad} corrupt{(parse.GetValue(repair) ? " (removed)" : string.Empty)}")}");
            return Task.FromResult(bad == 0 ? CommandRunner.Success : CommandRunner.Failure);
        }));

        var prune = new Command("prune", "Evict least recently used entries until the cache fits in --max-size.");
        prune.Options.Add(SharedOptions.CacheDir);
        var maxSize = new Option<string>("--max-size") { Description = "Largest size to keep, e.g. 10GB, 500MiB or a byte count.", Required = true };
        prune.Options.Add(maxSize);
        prune.SetAction(parse => CommandRunner.RunAsync(parse, _ =>
        {
            long limit;
            try
            {
                limit = CacheMaintenance.ParseSize(parse.GetValue(maxSize)!);
            }
            catch (FormatException ex)
            {
                throw CommandRunner.Usage($"--max-size: {ex.Message}");
            }

            var root = CacheLocation.Resolve(parse.GetValue(SharedOptions.CacheDir));
            var result = CacheMaintenance.Prune(root, limit);
            Console.WriteLine($"removed {result.RemovedBlobs} blobs, {result.RemovedRecords} step results and {result.RemovedTemporaryFiles} abandoned temporary files, freed {FormatBytes(result.FreedBytes)}; {FormatBytes(result.RemainingBytes)} remain");
            return Task.FromResult(CommandRunner.Success);
        }));

        command.Subcommands.Add(status);
        command.Subcommands.Add(verify);
        command.Subcommands.Add(prune);
        return command;
    }

    internal static string FormatBytes(long bytes)
    {
        string[] units = { "B", "KB", "MB", "GB", "TB" };
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
