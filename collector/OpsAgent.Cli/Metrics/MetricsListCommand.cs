using System.CommandLine;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;
// OpsAgent.Protocol has a Command message (commands sent to agents); here Command is a CLI command.
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.Metrics;

/// <summary>`opsctl metrics list [PREFIX] [--host H] [--label k=v ...]`.</summary>
internal static class MetricsListCommand
{
    public static Command Create(CliHost host)
    {
        var prefix = new Argument<string?>("prefix")
        {
            Description = "Only metrics whose name starts with this, e.g. system.cpu",
            HelpName = "PREFIX",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var selector = new SeriesSelectorOptions();
        var command = new Command("list", "List metric series, grouped by metric name");
        command.Arguments.Add(prefix);
        selector.AddTo(command);
        host.SetAction(command, context => RunAsync(context, context.GetValue(prefix), selector.GetMatchers(context.ParseResult)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string? prefix, List<LabelMatcher> matchers)
    {
        var request = new ListSeriesRequest { NamePrefix = prefix ?? string.Empty };
        request.Matchers.AddRange(matchers);
        var response = await context.Admin.ListSeriesAsync(request, cancellationToken: context.CancellationToken);

        var series = response.Series
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ThenBy(s => s.Hostname, StringComparer.Ordinal)
            .ThenBy(MetricsView.DisplayLabels, StringComparer.Ordinal)
            .ToList();

        if (context.Output.Format == OutputFormat.Json)
        {
            context.Output.WriteJson(new SeriesListJson([.. series.Select(SeriesJson.From)], response.Truncated), MetricsJsonContext.Default.SeriesListJson);
            return ExitCodes.Ok;
        }

        if (series.Count == 0)
        {
            context.Output.WriteLine("No series match.");
        }
        else
        {
            context.Output.Write(MetricsView.SeriesList(series, context.Time.GetUtcNow()));
        }

        if (response.Truncated)
        {
            context.Output.Warn($"the collector returned only the first {series.Count} series; narrow the list with a PREFIX, --host or --label.");
        }

        return ExitCodes.Ok;
    }
}
