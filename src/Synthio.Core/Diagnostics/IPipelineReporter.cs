namespace Synthio.Diagnostics;

/// <summary>
/// Where the engine sends what the user should see. The engine never writes to the console itself:
/// the CLI decides between a live display, plain lines and MSBuild-formatted lines.
/// </summary>
public interface IPipelineReporter
{
    void Report(Diagnostic diagnostic);

    /// <summary>A stage advanced: <paramref name="done"/> of <paramref name="total"/> items.</summary>
    void Progress(string stage, int done, int total);

    void Info(string message);
}

/// <summary>Discards everything except what tests choose to inspect.</summary>
public sealed class CollectingReporter : IPipelineReporter
{
    private readonly List<Diagnostic> _diagnostics = new();
    private readonly List<string> _messages = new();
    private readonly object _gate = new();

    public IReadOnlyList<Diagnostic> Diagnostics
    {
        get { lock (_gate) { return _diagnostics.ToArray(); } }
    }

    public IReadOnlyList<string> Messages
    {
        get { lock (_gate) { return _messages.ToArray(); } }
    }

    public void Report(Diagnostic diagnostic)
    {
        lock (_gate) { _diagnostics.Add(diagnostic); }
    }

    public void Progress(string stage, int done, int total)
    {
    }

    public void Info(string message)
    {
        lock (_gate) { _messages.Add(message); }
    }
}
