using System.Diagnostics;
using System.Text;

namespace Synthio.Cli;

/// <summary>Runs the <c>dotnet</c> host (the one that runs this tool when the build or a test says so) as a child process.</summary>
internal static class DotnetProcess
{
    /// <summary>DOTNET_HOST_PATH when it names a file (MSBuild and test hosts set it), else <c>dotnet</c> from PATH.</summary>
    public static string Host => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/> and returns the exit code with both streams, interleaved
    /// as they came. Cancelling kills the whole process tree.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        IReadOnlyList<string> arguments,
        string? workingDirectory,
        CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        void Received(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }
        }

        process.OutputDataReceived += Received;
        process.ErrorDataReceived += Received;
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start '{Host}'");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.WaitForExit(); // drains the redirected streams
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
