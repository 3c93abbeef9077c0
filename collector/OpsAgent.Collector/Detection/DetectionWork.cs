namespace OpsAgent.Collector.Detection;

/// <summary>Work for one detection worker, in the order it must happen: samples, ticks and checkpoints share one queue.</summary>
internal abstract class DetectionWork;
