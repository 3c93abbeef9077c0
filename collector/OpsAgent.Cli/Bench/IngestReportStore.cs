namespace OpsAgent.Cli.Bench;

/// <summary>The store before and after the run, from the Admin API's GetStoreStats.</summary>
/// <param name="BytesPerSampleAdded">Growth of the store's files (database and its log) per sample added by this run.</param>
/// <param name="ChunkBytesPerSample">Encoded size of all closed chunks per sample in them (the whole store, not only this run).</param>
internal sealed record IngestReportStore(
    ulong SamplesBefore,
    ulong SamplesAfter,
    ulong FileBytesBefore,
    ulong FileBytesAfter,
    double BytesPerSampleAdded,
    double ChunkBytesPerSample);
