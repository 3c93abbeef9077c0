using Microsoft.Extensions.Options;

namespace OpsAgent.Agent.Commands;

/// <summary>Checks <see cref="CommandOptions"/> at start-up; every message names the key and the fix.</summary>
internal sealed class CommandOptionsValidator : IValidateOptions<CommandOptions>
{
    public ValidateOptionsResult Validate(string? name, CommandOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.PolicyFile) || !Path.IsPathFullyQualified(options.PolicyFile))
        {
            errors.Add($"Agent:Commands:PolicyFile '{options.PolicyFile}' is not an absolute path. Remove the key to use " +
                "/etc/opsagent/policy.json, or give the full path of the policy file.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Agent:Commands:ClockSkew must be between 00:00:00 and 00:10:00; got {options.ClockSkew}. " +
                "A larger skew means the clocks need fixing (NTP), not a wider window for replayed commands.");
        }

        if (options.MaxCommandLifetime < TimeSpan.FromMinutes(1) || options.MaxCommandLifetime > TimeSpan.FromDays(30))
        {
            errors.Add($"Agent:Commands:MaxCommandLifetime must be between 00:01:00 and 30.00:00:00; got {options.MaxCommandLifetime}.");
        }

        if (options.QueueCapacity is < 1 or > 1024)
        {
            errors.Add($"Agent:Commands:QueueCapacity must be between 1 and 1024; got {options.QueueCapacity}.");
        }

        if (options.MaxRememberedCommands is < 100 or > 100_000)
        {
            errors.Add($"Agent:Commands:MaxRememberedCommands must be between 100 and 100000; got {options.MaxRememberedCommands}.");
        }

        if (options.SystemctlPath is { Length: > 0 } systemctl && !Path.IsPathFullyQualified(systemctl))
        {
            errors.Add($"Agent:Commands:SystemctlPath '{systemctl}' is not an absolute path. Remove the key, or give e.g. /usr/bin/systemctl " +
                "(the agent runs as root and does not search PATH).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
