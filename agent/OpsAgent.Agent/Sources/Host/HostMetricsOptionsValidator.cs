using Microsoft.Extensions.Options;

namespace OpsAgent.Agent.Sources.Host;

/// <summary>Checks <see cref="HostMetricsOptions"/> at start-up and names the key and the fix for every problem.</summary>
internal sealed class HostMetricsOptionsValidator : IValidateOptions<HostMetricsOptions>
{
    private static readonly TimeSpan MinFilesystemTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxFilesystemTimeout = TimeSpan.FromSeconds(30);

    public ValidateOptionsResult Validate(string? name, HostMetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = HostMetricsOptions.SectionName;
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(options.ProcRoot) || !Path.IsPathRooted(options.ProcRoot))
        {
            errors.Add($"{Section}:ProcRoot is '{options.ProcRoot}'; set it to the absolute path where procfs is mounted (normally /proc).");
        }

        if (string.IsNullOrWhiteSpace(options.SysRoot) || !Path.IsPathRooted(options.SysRoot))
        {
            errors.Add($"{Section}:SysRoot is '{options.SysRoot}'; set it to the absolute path where sysfs is mounted (normally /sys).");
        }

        if (options.FilesystemTimeout < MinFilesystemTimeout || options.FilesystemTimeout > MaxFilesystemTimeout)
        {
            errors.Add($"{Section}:FilesystemTimeout is {options.FilesystemTimeout}; set it between 00:00:00.010 and 00:00:30 (default 00:00:01).");
        }

        if (options.MaxFilesystems is < 1 or > 10_000)
        {
            errors.Add($"{Section}:MaxFilesystems is {options.MaxFilesystems}; set it between 1 and 10000 (default 100).");
        }

        CheckPatterns(errors, $"{Section}:ExcludedFilesystemTypes", options.ExcludedFilesystemTypes);
        CheckPatterns(errors, $"{Section}:ExcludedMountPoints", options.ExcludedMountPoints);
        CheckPatterns(errors, $"{Section}:ExcludedDiskDevices", options.ExcludedDiskDevices);
        CheckPatterns(errors, $"{Section}:ExcludedNetworkInterfaces", options.ExcludedNetworkInterfaces);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckPatterns(List<string> errors, string key, IList<string>? patterns)
    {
        if (patterns is null)
        {
            return;
        }

        for (int i = 0; i < patterns.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(patterns[i]))
            {
                errors.Add($"{key}:{i} is empty; remove the entry or give a name or glob pattern such as \"veth*\".");
            }
        }
    }
}
