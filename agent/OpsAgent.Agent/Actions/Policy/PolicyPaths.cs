namespace OpsAgent.Agent.Actions.Policy;

/// <summary>Where the policy and the scripts live by default, per operating system.</summary>
internal static class PolicyPaths
{
    public static string DefaultPolicyFile => OperatingSystem.IsWindows()
        ? Path.Combine(ProgramData, "OpsAgent", "policy.json")
        : "/etc/opsagent/policy.json";

    public static string DefaultScriptsDirectory => OperatingSystem.IsWindows()
        ? Path.Combine(ProgramData, "OpsAgent", "scripts")
        : "/etc/opsagent/scripts";

    private static string ProgramData => Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData);
}
