using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Commands;

/// <summary>Hands the playbook engine's command decisions to the <see cref="CommandDispatcher"/>.</summary>
internal sealed partial class PlaybookCommandHandler(CommandDispatcher dispatcher, ILogger<PlaybookCommandHandler> logger) : IPlaybookDecisionHandler
{
    public ValueTask HandleAsync(IReadOnlyList<PlaybookDecision> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (PlaybookDecision decision in decisions)
        {
            try
            {
                switch (decision)
                {
                    case PlaybookDecision.SendCommand send:
                        dispatcher.OnPlaybookSend(send.Run, send.Command, send.Redelivery);
                        break;
                    case PlaybookDecision.RequestApproval request:
                        dispatcher.OnApprovalRequested(request.Run, request.Command, request.Deadline, request.Redelivery);
                        break;
                    case PlaybookDecision.WithdrawApproval withdraw:
                        dispatcher.OnApprovalWithdrawn(withdraw.Run, withdraw.CommandId, withdraw.Reason);
                        break;
                }
            }
            catch (Exception ex) when (ex is SqliteException or StorageUnavailableException or IOException)
            {
                // One command that cannot be stored must not keep the others of this event from going out. The run waits
                // for its deadline and moves on ("no result"), which escalates if nothing else helps.
                LogDecisionFailed(logger, ex, decision.GetType().Name);
            }
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 6216, Level = LogLevel.Error, Message = "Could not store the playbook's {Decision}; the run moves on at its deadline. Check the database file and the disk.")]
    private static partial void LogDecisionFailed(ILogger logger, Exception exception, string decision);
}
