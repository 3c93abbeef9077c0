using OpsAgent.Protocol;

namespace OpsAgent.Cli.Metrics;

/// <summary>One series of a query answer, ready to show: its summary, its values on the step grid and which cells are anomalous.</summary>
internal sealed record QueryRow(SeriesInfo Series, SeriesStats Stats, double[] Cells, bool[]? Anomalous = null);
