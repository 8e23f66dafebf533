using System.Text.Json;
using Synthio.Diagnostics;

namespace Synthio.Cli.Output;

/// <summary>
/// Writes the engine's diagnostics and progress as plain lines, MSBuild canonical lines or JSON lines.
/// Diagnostics go to stderr (stdout stays for command results); progress is throttled so a build log
/// shows each stage's advance without a line per clip.
/// </summary>
public class ConsoleReporter : IPipelineReporter
{
    private readonly object _gate = new();
    private readonly Dictionary<string, DateTime> _lastProgress = new(StringComparer.Ordinal);
    private readonly TextWriter _error;
    private int _warnings;
    private int _errors;

    public ConsoleReporter(LogFormat format, TextWriter? error = null)
    {
        Format = format;
        _error = error ?? Console.Error;
    }

    public LogFormat Format { get; }

    public int WarningCount => _warnings;

    public int ErrorCount => _errors;

    /// <summary>Throttle for progress lines of one stage.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    public virtual void Report(Diagnostic diagnostic)
    {
        Count(diagnostic);
        WriteLine(FormatDiagnostic(diagnostic));
    }

    protected void Count(Diagnostic diagnostic)
    {
        if (diagnostic.Severity == DiagnosticSeverity.Warning)
        {
            Interlocked.Increment(ref _warnings);
        }
        else if (diagnostic.Severity == DiagnosticSeverity.Error)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    public virtual void Progress(string stage, int done, int total)
    {
        var now = DateTime.UtcNow;
        lock (_gate)
        {
            var final = done >= total;
            if (!final && done != 0 && _lastProgress.TryGetValue(stage, out var last) && now - last < ProgressInterval)
            {
                return;
            }

            if (done == 0 && total > 0 && _lastProgress.ContainsKey(stage))
            {
                return;
            }

            _lastProgress[stage] = now;
        }

        WriteLine(Format switch
        {
            LogFormat.Json => JsonSerializer.Serialize(new { type = "progress", stage, done, total }),
            LogFormat.MsBuild => $"synthio: {stage} {done}/{total}",
            _ => $"{stage}: {done}/{total}",
        });
    }

    /// <summary>Starts the line that carries a run's outcome under <see cref="LogFormat.MsBuild"/>; the build task shows such lines at its default verbosity.</summary>
    public const string ResultPrefix = "synthio: result: ";

    /// <summary>The run's outcome in one line (what a build prints even when it prints nothing else).</summary>
    public virtual void Result(string message)
    {
        WriteLine(Format switch
        {
            LogFormat.Json => JsonSerializer.Serialize(new { type = "result", message }),
            LogFormat.MsBuild => ResultPrefix + message,
            _ => message,
        });
    }

    public virtual void Info(string message)
    {
        WriteLine(Format switch
        {
            LogFormat.Json => JsonSerializer.Serialize(new { type = "info", message }),
            LogFormat.MsBuild => $"synthio: {message}",
            _ => message,
        });
    }

    public string FormatDiagnostic(Diagnostic diagnostic)
    {
        var severity = diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        return Format switch
        {
            LogFormat.Json => JsonSerializer.Serialize(new { type = "diagnostic", severity, code = diagnostic.Code, message = diagnostic.Message, file = diagnostic.File }),
            // MSBuild's canonical error format: origin : category code : text. A file origin lets the IDE jump to it.
            LogFormat.MsBuild when diagnostic.Severity == DiagnosticSeverity.Info => $"synthio: {diagnostic.Code}: {diagnostic.Message}",
            LogFormat.MsBuild => $"{diagnostic.File ?? "synthio"} : {severity} {diagnostic.Code} : {diagnostic.Message}",
            _ => $"{severity} {diagnostic.Code}: {diagnostic.Message}",
        };
    }

    protected void WriteLine(string line)
    {
        lock (_gate)
        {
            _error.WriteLine(line);
        }
    }
}
