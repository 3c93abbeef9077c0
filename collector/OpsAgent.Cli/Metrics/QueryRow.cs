using OpsAgent.Protocol;

namespace OpsAgent.Cli.Metrics;

/// <summary>One series of a query answer, ready to show: its summary and its values on the step grid.</summary>
internal sealed record QueryRow(SeriesInfo Series, SeriesStats Stats, double[] Cells);
