namespace Synthio.Diagnostics;

public enum DiagnosticSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>A coded message for the user; the CLI renders it as plain text, an MSBuild line or JSON.</summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, string Code, string Message, string? File = null)
{
    public static Diagnostic Warning(string code, string message, string? file = null) =>
        new(DiagnosticSeverity.Warning, code, message, file);

    public static Diagnostic Error(string code, string message, string? file = null) =>
        new(DiagnosticSeverity.Error, code, message, file);
}
