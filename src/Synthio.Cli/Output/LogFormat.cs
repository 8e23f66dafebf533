namespace Synthio.Cli.Output;

/// <summary>How the CLI writes diagnostics and progress (<c>--log-format</c>).</summary>
public enum LogFormat
{
    /// <summary>A live display on a terminal, plain lines otherwise.</summary>
    Plain,

    /// <summary><c>synthio: warning SYN1234 : message</c> lines that MSBuild turns into real diagnostics.</summary>
    MsBuild,

    /// <summary>One JSON object per line, for scripts.</summary>
    Json,
}
