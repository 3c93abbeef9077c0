namespace OpsAgent.Collector.Storage;

/// <summary>Work for the store's single writer: a batch to append, or a checkpoint / maintenance request.</summary>
internal abstract class WriterRequest;
