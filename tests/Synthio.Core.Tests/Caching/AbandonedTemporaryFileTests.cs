using System.Diagnostics;
using Synthio.Caching;
using Synthio.Tests;

namespace Synthio.Core.Tests.Caching;

public class AbandonedTemporaryFileTests
{
    [Fact]
    public void TemporaryFilesOfDeadOrAncientRunsGoAndThoseOfLiveRunsStay()
    {
        using var temp = new TempDirectory();
        var tmp = Directory.CreateDirectory(temp.Combine("tmp")).FullName;

        // A process that has certainly exited.
        using var finished = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!;
        finished.WaitForExit();
        var dead = Path.Combine(tmp, $"abc.{finished.Id}.{Guid.NewGuid():N}.tmp");
        var live = Path.Combine(tmp, $"abc.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var ancient = Path.Combine(tmp, $"def.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var stranger = Path.Combine(tmp, "not-ours.bin");
        foreach (var file in new[] { dead, live, ancient, stranger })
        {
            File.WriteAllBytes(file, new byte[100]);
        }

        File.SetLastWriteTimeUtc(ancient, DateTime.UtcNow.AddHours(-2));
        var (count, bytes) = CacheMaintenance.RemoveAbandonedTemporaryFiles(temp.Path, DateTime.UtcNow);

        Assert.Equal((3, 300L), (count, bytes));
        Assert.True(File.Exists(live));
        Assert.False(File.Exists(dead) || File.Exists(ancient) || File.Exists(stranger));

        // Prune does the same as part of its work.
        File.WriteAllBytes(dead, new byte[50]);
        var pruned = CacheMaintenance.Prune(temp.Path, long.MaxValue);
        Assert.Equal(1, pruned.RemovedTemporaryFiles);
        Assert.True(File.Exists(live));
    }
}
