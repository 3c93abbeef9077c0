using System.CommandLine;
using OpsAgent.Cli.Connection;
using OpsAgent.Cli.Output;
using OpsAgent.Cli.Parsing;

namespace OpsAgent.Cli.Invocation;

/// <summary>The options every command accepts, declared once on the root and inherited by all subcommands.</summary>
internal sealed class GlobalOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A bound that catches typos (5w for 5s) and stays within what a timer can wait.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    public Option<string?> Collector { get; } = new("--collector")
    {
        Description = $"The collector's admin URL (env {ConnectionSettingsResolver.CollectorVariable}, " +
                      $"default {ConnectionSettingsResolver.DefaultCollector})",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"The API token to send (env {ConnectionSettingsResolver.TokenVariable}, or the config file)",
        HelpName = "TOKEN",
        Recursive = true,
    };

    public Option<string?> Ca { get; } = new("--ca")
    {
        Description = $"PEM file of the collector's CA to trust for https:// (env {CaBundle.Variable}, or the config file)",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = $"opsctl configuration file (env {OpsctlConfigFile.Variable}, default ~/.config/opsagent/opsctl.json)",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string> Output { get; } = CreateOutputOption();

    public Option<TimeSpan?> Timeout { get; } = new("--timeout")
    {
        Description = $"How long to wait for the collector, e.g. 10s (default {DurationParser.Format(DefaultTimeout)})",
        HelpName = "DURATION",
        Recursive = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (!DurationParser.TryParse("--timeout", text, out var timeout, out var error))
            {
                result.AddError(error);
                return null;
            }

            if (timeout <= TimeSpan.Zero || timeout > MaxTimeout)
            {
                result.AddError($"--timeout '{text}' must be longer than zero and at most {DurationParser.Format(MaxTimeout)}.");
                return null;
            }

            return timeout;
        },
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show details of errors (stack traces, transport errors)",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Collector);
        root.Options.Add(Token);
        root.Options.Add(Ca);
        root.Options.Add(Config);
        root.Options.Add(Output);
        root.Options.Add(Timeout);
        root.Options.Add(Verbose);
    }

    public static OutputFormat ParseOutputFormat(string? value) =>
        string.Equals(value, "json", StringComparison.OrdinalIgnoreCase) ? OutputFormat.Json : OutputFormat.Table;

    private static Option<string> CreateOutputOption()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: a table for people, JSON for scripts and CI pipelines",
            DefaultValueFactory = _ => "table",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }
}
