using Microsoft.Extensions.Options;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Commands;

/// <summary>
/// Stores the command results of a batch in the store's transaction for that batch, next to its exactly-once record:
/// a batch the agent sends again is a duplicate and does not get here, and a result the agent repeats in a new batch
/// (it received the command again) does not replace the stored one. The gateway screened the results before (only the
/// agent's own commands), and the agent id in the update guards that once more.
/// </summary>
internal sealed class CommandResultSink(IOptions<CommandOptions> options) : IBatchSink
{
    private readonly int _maxOutputBytes = options.Value.MaxOutputBytes;

    public void Write(BatchSinkContext context, TelemetryBatch batch)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(batch);
        foreach (CommandResult result in batch.CommandResults)
        {
            CommandRepository.WriteResult(context, result, _maxOutputBytes);
        }
    }
}
