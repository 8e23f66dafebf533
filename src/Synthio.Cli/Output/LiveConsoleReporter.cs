using Spectre.Console;
using Synthio.Diagnostics;

namespace Synthio.Cli.Output;

/// <summary>
/// A live progress display for an interactive terminal (Spectre.Console): one bar per pipeline stage,
/// diagnostics printed above the bars as they come.
/// </summary>
public sealed class LiveConsoleReporter : ConsoleReporter
{
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
    private readonly object _tasksGate = new();
    private ProgressContext? _context;

    public LiveConsoleReporter()
        : base(LogFormat.Plain)
    {
    }

    /// <summary>Runs <paramref name="work"/> with the live display on screen.</summary>
    public async Task<int> RunAsync(Func<Task<int>> work)
    {
        var result = 0;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                _context = ctx;
                result = await work().ConfigureAwait(false);
                lock (_tasksGate)
                {
                    foreach (var task in _tasks.Values)
                    {
                        task.StopTask();
                    }
                }
            }).ConfigureAwait(false);
        return result;
    }

    public override void Progress(string stage, int done, int total)
    {
        if (_context is null)
        {
            base.Progress(stage, done, total);
            return;
        }

        lock (_tasksGate)
        {
            if (!_tasks.TryGetValue(stage, out var task))
            {
                task = _context.AddTask(Markup.Escape(stage), maxValue: Math.Max(1, total));
                _tasks[stage] = task;
            }

            task.MaxValue = Math.Max(1, total);
            task.Value = Math.Min(done, total);
        }
    }

    public override void Report(Diagnostic diagnostic)
    {
        if (_context is null)
        {
            base.Report(diagnostic);
            return;
        }

        Count(diagnostic);
        var colour = diagnostic.Severity == DiagnosticSeverity.Error ? "red" : diagnostic.Severity == DiagnosticSeverity.Warning ? "yellow" : "grey";
        AnsiConsole.MarkupLine($"[{colour}]{Markup.Escape(FormatDiagnostic(diagnostic))}[/]");
    }

    public override void Result(string message)
    {
        if (_context is null)
        {
            base.Result(message);
            return;
        }

        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(message)}[/]");
    }

    public override void Info(string message)
    {
        if (_context is null)
        {
            base.Info(message);
            return;
        }

        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
    }
}
