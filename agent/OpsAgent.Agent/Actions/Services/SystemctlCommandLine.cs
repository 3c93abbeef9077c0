using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions.Services;

/// <summary>The exact systemctl argv the agent runs for a service operation.</summary>
/// <remarks>
/// <c>systemctl --no-ask-password VERB -- UNIT</c>:
/// <list type="bullet">
/// <item>No <c>--no-block</c>: systemctl waits until the job has finished (for a Type=notify service, until it says it
/// is ready), so its exit code tells whether the service really came up or went down; the policy's timeout bounds
/// the wait (and systemd's own start/stop timeouts bound the job).</item>
/// <item><c>--no-ask-password</c>: never wait for a polkit password prompt that nobody will answer.</item>
/// <item><c>--</c>: the unit can never be read as an option (names are also checked not to start with '-').</item>
/// </list>
/// </remarks>
internal static class SystemctlCommandLine
{
    private static readonly string[] DefaultLocations = ["/usr/bin/systemctl", "/bin/systemctl"];

    public static string Verb(ServiceAction.Types.Operation operation) => operation switch
    {
        ServiceAction.Types.Operation.Restart => "restart",
        ServiceAction.Types.Operation.Stop => "stop",
        ServiceAction.Types.Operation.Start => "start",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "no service operation"),
    };

    /// <summary>The arguments after the program name.</summary>
    public static string[] Arguments(ServiceAction.Types.Operation operation, string unit) =>
        ["--no-ask-password", Verb(operation), "--", unit];

    /// <summary>The configured systemctl, else the first of /usr/bin/systemctl and /bin/systemctl that exists.</summary>
    public static string Locate(string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        return DefaultLocations.FirstOrDefault(File.Exists) ?? DefaultLocations[0];
    }
}
