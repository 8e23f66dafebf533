using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Synthio.Build.Tasks;

/// <summary>
/// Runs one <c>dotnet synthio</c> command out of MSBuild's process with the <c>dotnet</c> host, so no ML or
/// native library ever loads into MSBuild. Coded lines the tool prints (<c>origin : warning SYN1234 : text</c>)
/// become real MSBuild diagnostics with their code and file; other lines are build messages. Cancelling the
/// build (Ctrl+C) kills the tool.
/// </summary>
public sealed partial class SynthioTool : ToolTask
{
    /// <summary>Starts the tool's one-line outcome under <c>--log-format msbuild</c> (the CLI's <c>ConsoleReporter.ResultPrefix</c>).</summary>
    private const string ResultPrefix = "synthio: result: ";

    /// <summary>Path of <c>dotnet-synthio.dll</c>.</summary>
    [Required]
    public string CliPath { get; set; } = string.Empty;

    /// <summary>
    /// The tool's command line after the program, one item per command or switch; an item's <c>Value</c>
    /// metadata, when not empty, follows it as the next argument. Values travel as metadata because MSBuild
    /// rewrites item specs: it expands <c>*</c> and <c>?</c> as file wildcards (a pattern that matches no file
    /// vanishes), splits at <c>;</c> and, on Linux and macOS, turns backslashes into slashes. Metadata keeps
    /// them, so a regular expression or a path reaches the tool as written.
    /// </summary>
    [Required]
    public ITaskItem[] Arguments { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The metadata that carries a switch's value (see <see cref="Arguments"/>).</summary>
    public const string ValueMetadata = "Value";

    /// <summary>The dotnet host to use; MSBuild passes <c>$(DOTNET_HOST_PATH)</c>.</summary>
    public string? DotnetHost { get; set; }

    /// <summary>
    /// Where a diagnostic without a file of its own points: the user's project (<c>$(MSBuildProjectFullPath)</c>),
    /// not the package's targets file that holds this task.
    /// </summary>
    public string? ProjectFile { get; set; }

    /// <summary>
    /// Files the tool writes that the target's <c>Outputs</c> name. When the task fails, they are deleted:
    /// the tool may have written them before a warning it printed was turned into an error by the project
    /// (<c>MSBuildWarningsAsErrors</c>, <c>MSBuildTreatWarningsAsErrors</c>), and left in place they would make the
    /// next build skip the step as up to date, so the build that failed would pass on the second try with nothing
    /// changed. (The command line's <c>-warnaserror</c> acts in MSBuild's loggers after the task; it never reaches here.)
    /// </summary>
    public ITaskItem[] InvalidateOnFailure { get; set; } = Array.Empty<ITaskItem>();

    private bool _warningPromoted;

    protected override string ToolName => "dotnet";

    public override bool Execute()
    {
        var succeeded = base.Execute() && !Log.HasLoggedErrors && !_warningPromoted;
        if (!succeeded)
        {
            foreach (var item in InvalidateOnFailure)
            {
                var path = item.GetMetadata("FullPath");
                if (File.Exists(path))
                {
                    File.Delete(path);
                    Log.LogMessage(MessageImportance.Low, "Deleted '{0}' so the next build runs this step again.", path);
                }
            }
        }

        return succeeded;
    }

    // Progress lines are useful at normal verbosity; the tool already throttles them.
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Normal;

    protected override string GenerateFullPathToTool() =>
        !string.IsNullOrEmpty(DotnetHost) && File.Exists(DotnetHost) ? DotnetHost! : ToolName;

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder(quoteHyphensOnCommandLine: false, useNewLineSeparator: false);
        builder.AppendSwitch("exec");
        builder.AppendFileNameIfNotNull(CliPath);
        foreach (var argument in Arguments)
        {
            builder.AppendTextUnquoted(" ");
            builder.AppendTextUnquoted(Quote(argument.ItemSpec));
            var value = argument.GetMetadata(ValueMetadata);
            if (!string.IsNullOrEmpty(value))
            {
                builder.AppendTextUnquoted(" ");
                builder.AppendTextUnquoted(Quote(value));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// As written. On Linux and macOS the base class turns every backslash of the command line into a slash,
    /// for tools that are handed Windows paths; that would corrupt a regular expression (<c>\d</c>, <c>\.</c>)
    /// and the quoting <see cref="Quote"/> relies on.
    /// </summary>
    protected override string AdjustCommandsForOperatingSystem(string input) => input;

    protected override bool ValidateParameters()
    {
        if (!File.Exists(CliPath))
        {
            Log.LogError(null, "SYN9002", null, null, 0, 0, 0, 0, "The Synthio command-line tool was not found at '{0}'. Restore the Synthio.Build package again, or set SynthioCliPath.", CliPath);
            return false;
        }

        return base.ValidateParameters();
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        // The tool's one-line outcome ("synthio: result: ...") shows at the build's default verbosity.
        if (singleLine.StartsWith(ResultPrefix, StringComparison.Ordinal))
        {
            Log.LogMessage(MessageImportance.High, "synthio: {0}", singleLine[ResultPrefix.Length..]);
            return;
        }

        var match = DiagnosticLine().Match(singleLine);
        if (!match.Success)
        {
            Log.LogMessage(messageImportance, singleLine);
            return;
        }

        var origin = match.Groups["origin"].Value.Trim();
        var file = origin == "synthio" ? (string.IsNullOrEmpty(ProjectFile) ? null : ProjectFile) : origin;
        var code = match.Groups["code"].Value;
        var text = match.Groups["text"].Value;
        if (match.Groups["severity"].Value == "error")
        {
            Log.LogError(null, code, null, file, 0, 0, 0, 0, "{0}", text);
        }
        else
        {
            _warningPromoted |= BuildEngine is IBuildEngine8 engine && engine.ShouldTreatWarningAsError(code);
            Log.LogWarning(null, code, null, file, 0, 0, 0, 0, "{0}", text);
        }
    }

    protected override bool HandleTaskExecutionErrors()
    {
        if (Log.HasLoggedErrors)
        {
            // The tool already said why, with its own code.
            return false;
        }

        Log.LogError(null, "SYN9999", null, null, 0, 0, 0, 0, "The Synthio tool exited with code {0} without reporting an error.", ExitCode);
        return false;
    }

    /// <summary>The arguments after the host, for tests.</summary>
    internal string CommandLine() => GenerateCommandLineCommands();

    /// <summary>Handles one line of the tool's output, for tests.</summary>
    internal void LogLine(string line) => LogEventsFromTextOutput(line, MessageImportance.Normal);

    /// <summary>
    /// One argument as the process start splits a command line (the convention of Windows' CommandLineToArgvW,
    /// which .NET follows on every platform): inside quotes, backslashes are literal except a run of them before
    /// a quote, which is halved, an odd one out escaping the quote. So a run before an inner quote or before the
    /// closing quote is doubled: <c>C:\my data\</c> must not swallow its closing quote.
    /// </summary>
    internal static string Quote(string value)
    {
        if (value.Length > 0 && value.IndexOfAny(new[] { ' ', '"', '\t', '\n', ';', '&', '|', '<', '>', '\'' }) < 0)
        {
            return value;
        }

        var quoted = new System.Text.StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in value)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            quoted.Append('\\', c == '"' ? (2 * backslashes) + 1 : backslashes);
            quoted.Append(c);
            backslashes = 0;
        }

        return quoted.Append('\\', 2 * backslashes).Append('"').ToString();
    }

    [GeneratedRegex(@"^(?<origin>.+?)\s*:\s*(?<severity>warning|error)\s+(?<code>SYN\d{4})\s*:\s*(?<text>.*)$")]
    private static partial Regex DiagnosticLine();
}
