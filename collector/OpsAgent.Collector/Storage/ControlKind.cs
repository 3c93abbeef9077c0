namespace OpsAgent.Collector.Storage;

/// <summary>What a <see cref="ControlRequest"/> asks the writer to do.</summary>
internal enum ControlKind
{
    /// <summary>Advance the paced checkpoint round (used when no batches arrive to carry it).</summary>
    CheckpointSlice,

    /// <summary>Persist every open head now and delete all write-ahead records.</summary>
    FullCheckpoint,

    /// <summary>Close idle heads, apply retention, build rollups.</summary>
    Maintenance,
}
