using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Detection;

/// <summary>Feeds detection from the store: every committed batch goes to the detection workers after it is durable.</summary>
internal sealed class DetectionObserver(DetectionPipeline pipeline) : IIngestObserver
{
    public ValueTask OnCommittedAsync(CommittedBatch batch, CancellationToken cancellationToken)
    {
        pipeline.Route(batch);
        return ValueTask.CompletedTask;
    }
}
