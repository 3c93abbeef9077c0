using Microsoft.Extensions.Options;

namespace OpsAgent.Agent.Actions.Policy;

/// <summary>Reports the problems <see cref="PolicyLoader"/> found, so that the agent refuses to start on a bad policy.</summary>
internal sealed class LocalPolicyValidator : IValidateOptions<LocalPolicy>
{
    public ValidateOptionsResult Validate(string? name, LocalPolicy options) =>
        options.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Errors);
}
