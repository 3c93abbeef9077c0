using System.Text.RegularExpressions;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions.Scripts;

/// <summary>
/// Runs a script the policy allows, from the policy's scripts directory, with the command's arguments as argv (no
/// shell: "$(reboot)" arrives as those nine characters), a clean environment, a timeout after which it is killed with
/// everything it started, and its output captured up to the policy's limit.
/// </summary>
internal sealed class ScriptActionHandler(ProcessRunner runner) : IActionHandler
{
    private const int MaxArgumentLength = 4096;

    public Command.ActionOneofCase Action => Command.ActionOneofCase.Script;

    public async Task<ActionOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        RunScript request = context.Command.Script;
        ScriptPolicy scripts = context.Policy.Scripts;
        if (request.Name.Length is 0 or > 255 || request.Name is "." or ".." || request.Name.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            return ActionOutcome.Denied(
                $"'{request.Name}' is not the name of a file in the scripts directory: commands name a script, never a path. Nothing was run.");
        }

        StringComparison comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        int index = scripts.Allowed.FindIndex(r => r.Name.Equals(request.Name, comparison));
        if (index < 0)
        {
            string allowed = scripts.Allowed.Count == 0 ? "none" : string.Join(", ", scripts.Allowed.Select(r => r.Name));
            return ActionOutcome.Denied(
                $"The script '{request.Name}' is not allowed by the local policy ({context.PolicyFile}, Scripts.Allowed; allowed: {allowed}). Nothing was run.");
        }

        ScriptRule rule = scripts.Allowed[index];
        if (CheckArguments(request, rule, $"Scripts.Allowed[{index}]", context.PolicyFile) is { } refused)
        {
            return refused;
        }

        string path = Path.Join(scripts.Directory, rule.Name);
        if (CheckFile(scripts.Directory, path) is { } unusable)
        {
            return unusable;
        }

        ProcessLaunch? launch = Launch(path, request, context);
        if (launch is null)
        {
            return ActionOutcome.Unsupported($"The agent runs .exe and .ps1 scripts on Windows; {rule.Name} is neither. Nothing was run.");
        }

        TimeSpan timeout = context.Timeout(rule.TimeoutSeconds ?? context.Policy.Timeouts.ScriptSeconds);
        if (context.DryRun)
        {
            return ActionOutcome.Succeeded(
                $"Would run: {launch.Display()} (in {scripts.Directory}, timeout {timeout.TotalSeconds:0} s, output limit {context.MaxOutputBytes} bytes).");
        }

        ProcessRunResult run = await runner.RunAsync(launch, timeout, context.MaxOutputBytes, cancellationToken).ConfigureAwait(false);
        string incomplete = run.OutputComplete ? "" : " A process it left running kept its output open; output after the script exited is not included.";
        ActionOutcome outcome = run switch
        {
            { Started: false } => ActionOutcome.Failed($"The script {rule.Name} could not be started: {run.StartError}."),
            { Cancelled: true } => ActionOutcome.Failed($"The agent stopped while the script {rule.Name} ran; it was killed with the processes it started."),
            { TimedOut: true } => ActionOutcome.TimedOut(
                $"The script {rule.Name} did not finish within {timeout.TotalSeconds:0} s and was killed with the processes it started." + incomplete),
            { ExitCode: 0 } => ActionOutcome.Succeeded($"The script {rule.Name} exited with code 0." + incomplete),
            _ => ActionOutcome.Failed($"The script {rule.Name} exited with code {run.ExitCode}; see its output." + incomplete),
        };
        return outcome.WithOutput(run.Output, run.OutputTruncated) with { ExitCode = run.ExitCode };
    }

    private static ActionOutcome? CheckArguments(RunScript request, ScriptRule rule, string key, string policyFile)
    {
        if (request.Args.Count > rule.MaxArguments)
        {
            return ActionOutcome.Denied(
                $"The script {rule.Name} was given {request.Args.Count} arguments; the local policy ({policyFile}, {key}.MaxArguments) allows {rule.MaxArguments}. Nothing was run.");
        }

        for (int i = 0; i < request.Args.Count; i++)
        {
            string argument = request.Args[i];
            if (argument.Contains('\0', StringComparison.Ordinal) || argument.Length > MaxArgumentLength)
            {
                return ActionOutcome.Invalid(
                    $"Argument {i + 1} of the script {rule.Name} holds a NUL character or is longer than {MaxArgumentLength} characters. Nothing was run.");
            }

            bool matches;
            try
            {
                matches = rule.ArgumentRegex?.IsMatch(argument) ?? true;
            }
            catch (RegexMatchTimeoutException)
            {
                matches = false;
            }

            if (!matches)
            {
                return ActionOutcome.Denied(
                    $"Argument {i + 1} of the script {rule.Name} ('{BoundedText.Truncate(argument, 200)}') does not match the pattern the local policy " +
                    $"allows ({policyFile}, {key}.ArgumentPattern: {rule.ArgumentPattern}). Nothing was run.");
            }
        }

        return null;
    }

    /// <summary>
    /// The script runs as the agent (root): it must be a real file, not a link, executable, and neither it nor its
    /// directory writable by other users, or anyone on the host could choose what root runs.
    /// </summary>
    private static ActionOutcome? CheckFile(string directory, string path)
    {
        var file = new FileInfo(path);
        if (!Directory.Exists(directory))
        {
            return ActionOutcome.Failed($"The scripts directory {directory} does not exist. Create it (root-owned, not writable by others) and put the script there.");
        }

        if ((int)file.Attributes == -1)
        {
            return ActionOutcome.Failed($"The script {path} does not exist. Install it there (root-owned, mode 0755), or correct Scripts.Allowed.");
        }

        if (file.LinkTarget is not null || (file.Attributes & (FileAttributes.Directory | FileAttributes.ReparsePoint)) != 0)
        {
            return ActionOutcome.Denied($"{path} is a symbolic link or a directory; the agent runs only regular files from the scripts directory. Nothing was run.");
        }

        if (!OperatingSystem.IsWindows() && (file.UnixFileMode & UnixFileMode.UserExecute) == 0)
        {
            return ActionOutcome.Failed($"The script {path} is not executable. Run: chmod 0755 {path}");
        }

        string? unsafeFile = FilePermissions.WritableByOthersProblem(directory) ?? FilePermissions.WritableByOthersProblem(path);
        return unsafeFile is null ? null : ActionOutcome.Denied($"Refused to run the script: {unsafeFile}. Nothing was run.");
    }

    private static ProcessLaunch? Launch(string path, RunScript request, ActionContext context)
    {
        Dictionary<string, string> environment = ProcessLaunch.BaseEnvironment();
        environment["OPSAGENT_COMMAND_ID"] = context.Command.CommandId;
        environment["OPSAGENT_ISSUED_BY"] = context.Command.IssuedBy;
        string directory = Path.GetDirectoryName(path) ?? "/";
        if (!OperatingSystem.IsWindows())
        {
            return new ProcessLaunch(path, [.. request.Args], directory, environment);
        }

        if (path.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
        {
            return new ProcessLaunch(path, [.. request.Args], directory, environment);
        }

        // -File binds the remaining arguments as strings; nothing in them is evaluated as PowerShell.
        return path.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase)
            ? new ProcessLaunch(
                Path.Combine(Environment.SystemDirectory, "WindowsPowerShell", "v1.0", "powershell.exe"),
                ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", path, .. request.Args],
                directory,
                environment)
            : null;
    }
}
