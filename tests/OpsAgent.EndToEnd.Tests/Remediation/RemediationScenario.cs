using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using OpsAgent.EndToEnd.Tests.Infrastructure;

namespace OpsAgent.EndToEnd.Tests.Remediation;

/// <summary>
/// What the self-healing tests share: detection tuned to raise and clear within seconds, agents with a synthetic source
/// whose faults are tied to real state (files in a directory, a running process), local policy files, playbooks applied
/// through opsctl, and reading results back through opsctl as an admin would.
/// </summary>
internal static class RemediationScenario
{
    /// <summary>How long one step of a scenario may take on a loaded machine.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>Short alert timings so a fault is raised at once and its recovery seen within seconds; the rest is production.</summary>
    public static string[] CollectorArgs(TimeSpan incidentMergeGap) =>
    [
        "--Collector:Detection:Alert:MinDuration=00:00:00",
        "--Collector:Detection:Alert:Hold=00:00:10",
        "--Collector:Detection:Alert:ClearAfter=00:00:05",
        "--Collector:Detection:IncidentMergeGap=" + incidentMergeGap.ToString("c", CultureInfo.InvariantCulture),
    ];

    /// <summary>
    /// Agent arguments: synthetic series only (30 minutes of history first, so the detectors have learned them), and
    /// one +1000 level shift per series that is on while its condition holds: <c>dir:PATH</c> (files in PATH) or
    /// <c>proc:NAME</c> (a process of that name runs).
    /// </summary>
    public static List<string> AgentArgs(string hostname, string policyFile, params string[] conditions)
    {
        var args = new List<string>
        {
            "--hostname", hostname,
            "--Agent:Labels:env=e2e",
            "--Agent:Metrics:Host:Enabled=false",
            "--Agent:Metrics:Synthetic:Series=" + conditions.Length.ToString(CultureInfo.InvariantCulture),
            "--Agent:Metrics:Synthetic:Backfill=00:30:00",
            "--Agent:Commands:PolicyFile=" + policyFile,
        };
        for (int i = 0; i < conditions.Length; i++)
        {
            string key = $"--Agent:Metrics:Synthetic:Faults:{i}:";
            args.Add(key + "Kind=LevelShift");
            args.Add(key + "Magnitude=1000");
            args.Add(key + "SeriesIndexes:0=" + i.ToString(CultureInfo.InvariantCulture));
            args.Add(conditions[i].StartsWith("dir:", StringComparison.Ordinal)
                ? key + "WhileFilesIn=" + conditions[i][4..]
                : key + "WhileProcessRuns=" + conditions[i][5..]);
        }

        return args;
    }

    /// <summary>Writes a local policy file (JSON) and returns its path.</summary>
    public static string WritePolicy(string directory, object policy)
    {
        string path = Path.Combine(directory, "policy.json");
        File.WriteAllText(path, JsonSerializer.Serialize(policy));
        return path;
    }

    /// <summary>An executable script (mode 0755) in <paramref name="directory"/>.</summary>
    [SupportedOSPlatform("linux")]
    public static void WriteScript(string directory, string name, string body)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    /// <summary>Writes a playbook file and applies it with `opsctl playbooks apply`, as an admin does.</summary>
    public static async Task ApplyPlaybookAsync(IDictionary<string, string> opsctl, string directory, string name, string yaml)
    {
        string file = Path.Combine(directory, name + ".yaml");
        await File.WriteAllTextAsync(file, yaml);
        OpsctlResult result = await Opsctl.RunAsync(opsctl, "playbooks", "apply", file);
        Assert.True(result.ExitCode == 0, $"opsctl playbooks apply {file} exited {result.ExitCode}:\n{result.Output}");
        Assert.Contains($"Playbook {name} created", result.StandardOutput, StringComparison.Ordinal);
    }

    public static async Task<JsonElement> JsonAsync(IDictionary<string, string> opsctl, params string[] args)
    {
        OpsctlResult result = await Opsctl.RunAsync(opsctl, [.. args, "-o", "json"]);
        Assert.True(result.ExitCode == 0, $"opsctl {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Output}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    /// <summary>Waits until the agent's history is stored, so that its detectors have learned every series.</summary>
    public static Task WaitForHistoryAsync(IDictionary<string, string> opsctl, string hostname, int series, Func<string> diagnostics) =>
        Eventually.TrueAsync(
            async () =>
            {
                JsonElement agent = await JsonAsync(opsctl, "agents", "show", hostname);
                return agent.GetProperty("samplesStored").GetInt64() >= series * 1800L;
            },
            Bound,
            $"the 30 minutes of history of {hostname}'s {series} synthetic series to be stored",
            diagnostics);

    /// <summary>The newest incident of <paramref name="hostname"/> that satisfies <paramref name="condition"/>, once there is one.</summary>
    public static async Task<JsonElement> WaitForIncidentAsync(
        IDictionary<string, string> opsctl, string hostname, Func<JsonElement, bool> condition, string what, Func<string> diagnostics)
    {
        object found = await Eventually.GetAsync<object>(
            async () =>
            {
                JsonElement incidents = await JsonAsync(opsctl, "incidents", "--host", hostname, "--since", "1h");
                foreach (JsonElement incident in incidents.GetProperty("incidents").EnumerateArray())
                {
                    if (condition(incident))
                    {
                        return incident;
                    }
                }

                return null;
            },
            Bound,
            what,
            diagnostics);
        return (JsonElement)found;
    }

    /// <summary>The playbook of that name as `opsctl playbooks list -o json` shows it.</summary>
    public static async Task<JsonElement> PlaybookAsync(IDictionary<string, string> opsctl, string name)
    {
        JsonElement list = await JsonAsync(opsctl, "playbooks", "list");
        return list.GetProperty("playbooks").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);
    }

    /// <summary>How many times a guard skipped the playbook, as `opsctl playbooks list` shows it.</summary>
    public static long Skips(JsonElement playbook, string reason) =>
        playbook.GetProperty("skips").TryGetProperty(reason, out JsonElement count) ? count.GetInt64() : 0;

    public static string? Text(JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.String ? element.GetProperty(property).GetString() : null;

    /// <summary>A copy of /bin/sleep under a name no other process on the machine has (a process name is at most 15 characters).</summary>
    [SupportedOSPlatform("linux")]
    public static string CopySleep(string directory, string prefix)
    {
        string name = prefix + Guid.NewGuid().ToString("N")[..(14 - prefix.Length)];
        string path = Path.Combine(directory, name);
        File.Copy("/bin/sleep", path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    public static Process StartProcess(string path, string argument) =>
        Process.Start(new ProcessStartInfo(path, argument) { UseShellExecute = false }) ?? throw new InvalidOperationException("could not start " + path);

    public static void Touch(string directory, params string[] names)
    {
        Directory.CreateDirectory(directory);
        foreach (string name in names)
        {
            File.WriteAllText(Path.Combine(directory, name), "x");
        }
    }
}
