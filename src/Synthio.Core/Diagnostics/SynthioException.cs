namespace Synthio.Diagnostics;

/// <summary>
/// A failure the user can act on. <see cref="Code"/> is a documented SYNxxxx code (docs/diagnostics.md);
/// <see cref="File"/> names the offending input when there is one.
/// </summary>
public class SynthioException : Exception
{
    public SynthioException(string code, string message, string? file = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        File = file;
    }

    public string Code { get; }

    public string? File { get; }
}
