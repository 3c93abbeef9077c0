using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using OpsAgent.Agent.Configuration;
using OpsAgent.Agent.Outbox;

namespace OpsAgent.Agent.Sources.Synthetic;

/// <summary>
/// The synthetic source's stream mode (<see cref="SyntheticOptions.BatchesPerSecond"/> above 0): a batch with one
/// sample of every series at each point of a grid of 1000 / N ms, from the first grid point after start for as long as
/// the agent runs, none skipped. After each enqueue it writes that point's time to <c>StateDirectory/synthetic-progress</c>
/// (one small write, no fsync): what a crash test reads to know which samples the agent had produced when it was killed.
/// </summary>
internal sealed partial class SyntheticStreamService(
    IOptions<SyntheticOptions> synthetic,
    IOptions<AgentOptions> agent,
    IOutbox outbox,
    TimeProvider timeProvider,
    ILogger<SyntheticStreamService> logger) : BackgroundService
{
    public const string ProgressFile = "synthetic-progress";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SyntheticOptions options = synthetic.Value;
        if (options.Series == 0 || options.BatchesPerSecond == 0)
        {
            return;
        }

        long step = 1000 / options.BatchesPerSecond;
        var signal = new SyntheticSignal(options);
        long now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        long next = now - (now % step) + step;
        LogStreaming(logger, options.Series, next, step);
        using SafeFileHandle progress = File.OpenHandle(
            Path.Combine(agent.Value.StateDirectory, ProgressFile), FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        byte[] text = new byte[20];
        try
        {
            while (true)
            {
                now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
                if (next > now)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(next - now), timeProvider, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                // Every grid point up to now, even after a stall: the produced range has no holes.
                for (; next <= now; next += step)
                {
                    await outbox.EnqueueAsync(SyntheticBackfillService.BuildBatch(options, signal, next, next + step, step), OutboxLane.Metrics, stoppingToken)
                        .ConfigureAwait(false);
                    Encoding.ASCII.GetBytes(next.ToString("D20", CultureInfo.InvariantCulture), text);
                    RandomAccess.Write(progress, text, 0);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information,
        Message = "Synthetic source: streaming {Series} series from {StartUnixMs} (unix ms) every {StepMs} ms.")]
    private static partial void LogStreaming(ILogger logger, int series, long startUnixMs, long stepMs);
}
