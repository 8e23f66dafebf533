using System.CommandLine;
using Synthio.Cli.Output;
using Synthio.Diagnostics;

namespace Synthio.Cli;

/// <summary>
/// Runs a command body with the reporter its <c>--log-format</c> asks for and maps failures to the exit
/// codes of the command-line contract: 0 success, 1 failure (one clear line on stderr), 2 bad usage.
/// </summary>
internal static class CommandRunner
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadUsage = 2;

    public static readonly Option<LogFormat> LogFormatOption = new("--log-format")
    {
        Description = "How diagnostics and progress are written: plain (live display on a terminal), msbuild or json.",
        DefaultValueFactory = _ => LogFormat.Plain,
        Recursive = true,
    };

    public static async Task<int> RunAsync(ParseResult parse, Func<ConsoleReporter, Task<int>> body)
    {
        var format = parse.GetValue(LogFormatOption);
        var interactive = format == LogFormat.Plain
            && !Console.IsErrorRedirected
            && !Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
        var reporter = interactive ? new LiveConsoleReporter() : new ConsoleReporter(format);
        try
        {
            return reporter is LiveConsoleReporter live
                ? await live.RunAsync(() => body(reporter)).ConfigureAwait(false)
                : await body(reporter).ConfigureAwait(false);
        }
        catch (SynthioException ex)
        {
            reporter.Report(new Diagnostic(DiagnosticSeverity.Error, ex.Code, ex.Message, ex.File));
            return ex.Code == DiagnosticCodes.BadOption ? BadUsage : Failure;
        }
        catch (OperationCanceledException)
        {
            reporter.Report(Diagnostic.Error(DiagnosticCodes.Cancelled, "cancelled; every step that finished is in the cache, so the next run resumes after it"));
            return Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reporter.Report(Diagnostic.Error(DiagnosticCodes.Internal, ex.Message));
            return Failure;
        }
        catch (Exception ex)
        {
            // Anything else is a bug or an environment problem: say what it was on one coded line, details after.
            reporter.Report(Diagnostic.Error(DiagnosticCodes.Internal, $"unexpected {ex.GetType().Name}: {ex.Message}"));
            reporter.Info(ex.ToString());
            return Failure;
        }
    }

    /// <summary>A usage error raised from inside a command (an option value that parsed but makes no sense).</summary>
    public static SynthioException Usage(string message) => new(DiagnosticCodes.BadOption, message);
}
