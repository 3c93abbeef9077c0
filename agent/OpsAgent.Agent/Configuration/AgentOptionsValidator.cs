using System.Net;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Identity;
using OpsAgent.Agent.Outbox;

namespace OpsAgent.Agent.Configuration;

/// <summary>
/// Checks the whole configuration at start-up and reports every problem at once, each naming the key and the fix,
/// so that a bad file stops the service before it does anything instead of failing later at 3 a.m.
/// </summary>
internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    private const int MaxLabels = 32;

    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(options.CollectorUrl))
        {
            errors.Add("Agent:CollectorUrl is missing. Set it to the collector's agent gateway, e.g. " +
                "\"CollectorUrl\": \"https://collector.example.com:7400\" in the \"Agent\" section of the config file, " +
                "or OPSAGENT_Agent__CollectorUrl in the environment.");
        }
        else if (!Uri.TryCreate(options.CollectorUrl, UriKind.Absolute, out Uri? url) ||
            (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) ||
            string.IsNullOrEmpty(url.Host))
        {
            errors.Add($"Agent:CollectorUrl '{options.CollectorUrl}' is not an http:// or https:// URL with a host. " +
                "Use the form https://collector.example.com:7400.");
        }
        else if (url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url))
        {
            errors.Add($"Agent:CollectorUrl '{options.CollectorUrl}' is plain HTTP to another machine. A collector accepts plain HTTP only on " +
                "loopback (Collector:Insecure, for tests); use https://, and enrol this agent with a token (Agent:Enrollment:Token).");
        }

        if (!string.IsNullOrWhiteSpace(options.Enrollment.Token) && !EnrollmentToken.TryParse(options.Enrollment.Token, out _))
        {
            errors.Add("Agent:Enrollment:Token is not an enrolment token. Paste it exactly as `opsctl tokens create` printed it: " +
                "oe_ followed by three groups of hex digits separated by '_'.");
        }

        if (options.AgentId is { Length: > 0 } id && !AgentIdFormat.IsValid(id))
        {
            errors.Add($"Agent:AgentId '{id}' is not valid: use 1 to 64 characters from a-z, A-Z, 0-9, '-', '_' and '.', " +
                "or remove the key to let the agent generate one.");
        }

        if (options.Hostname is { Length: > 253 })
        {
            errors.Add("Agent:Hostname is longer than 253 characters; remove it to use the machine's name.");
        }

        if (string.IsNullOrWhiteSpace(options.StateDirectory))
        {
            errors.Add("Agent:StateDirectory is empty. Set it to a directory the agent can write, e.g. /var/lib/opsagent.");
        }

        if (options.Labels.Count > MaxLabels)
        {
            errors.Add($"Agent:Labels has {options.Labels.Count} entries; at most {MaxLabels} are allowed.");
        }

        foreach ((string key, string value) in options.Labels)
        {
            if (!LabelFormat.IsValidKey(key))
            {
                errors.Add($"Agent:Labels:{key} is not a valid label name: start with a letter or '_', then letters, digits, '_' or '.', at most 128 characters.");
            }
            else if (LabelFormat.IsReserved(key))
            {
                errors.Add($"Agent:Labels:{key} is reserved (the collector sets it). Choose another name.");
            }

            if (value.Length > LabelFormat.MaxValueLength)
            {
                errors.Add($"Agent:Labels:{key} has a value longer than {LabelFormat.MaxValueLength} characters.");
            }
        }

        if (options.Metrics.IntervalSeconds is < 1 or > 3600)
        {
            errors.Add($"Agent:Metrics:IntervalSeconds must be between 1 and 3600; got {options.Metrics.IntervalSeconds}.");
        }

        UplinkOptions uplink = options.Uplink;
        if (uplink.ReconnectMinDelay <= TimeSpan.Zero || uplink.ReconnectMinDelay > uplink.ReconnectMaxDelay)
        {
            errors.Add($"Agent:Uplink:ReconnectMinDelay ({uplink.ReconnectMinDelay}) must be positive and not above " +
                $"Agent:Uplink:ReconnectMaxDelay ({uplink.ReconnectMaxDelay}).");
        }

        if (uplink.ReconnectMaxDelay > TimeSpan.FromHours(1))
        {
            errors.Add($"Agent:Uplink:ReconnectMaxDelay ({uplink.ReconnectMaxDelay}) is above one hour; an agent would stay dark too long after an outage.");
        }

        if (uplink.HandshakeTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Agent:Uplink:HandshakeTimeout must be at least 00:00:01; got {uplink.HandshakeTimeout}.");
        }

        if (uplink.HeartbeatInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Agent:Uplink:HeartbeatInterval must be at least 00:00:01; got {uplink.HeartbeatInterval}.");
        }

        if (uplink.MaxInFlightBatches is < 1 or > 4096)
        {
            errors.Add($"Agent:Uplink:MaxInFlightBatches must be between 1 and 4096; got {uplink.MaxInFlightBatches}.");
        }

        OutboxOptionsValidator.Validate(options.Outbox, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));
}
