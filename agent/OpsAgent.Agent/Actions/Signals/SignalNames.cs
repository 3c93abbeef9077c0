namespace OpsAgent.Agent.Actions.Signals;

/// <summary>The signals the agent can send, by name, and their numbers on Linux.</summary>
/// <remarks>
/// The numbers are those of x86, ARM, RISC-V and the other architectures with the generic signal layout, which
/// covers every runtime the agent is published for. (MIPS, SPARC and Alpha number some signals differently.)
/// </remarks>
internal static class SignalNames
{
    public const string Kill = "KILL";

    private static readonly Dictionary<string, int> LinuxNumbers = new(StringComparer.Ordinal)
    {
        ["HUP"] = 1,
        ["INT"] = 2,
        ["QUIT"] = 3,
        ["ABRT"] = 6,
        ["KILL"] = 9,
        ["USR1"] = 10,
        ["USR2"] = 12,
        ["TERM"] = 15,
        ["CONT"] = 18,
        ["STOP"] = 19,
    };

    public static string Supported => string.Join(", ", LinuxNumbers.Keys);

    /// <summary>"term", "SIGTERM" and "TERM" all give "TERM".</summary>
    public static bool TryNormalize(string? name, out string canonical)
    {
        canonical = "";
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        string upper = name.Trim().ToUpperInvariant();
        if (upper.StartsWith("SIG", StringComparison.Ordinal))
        {
            upper = upper[3..];
        }

        if (!LinuxNumbers.ContainsKey(upper))
        {
            return false;
        }

        canonical = upper;
        return true;
    }

    public static int LinuxNumber(string canonical) => LinuxNumbers[canonical];
}
