namespace OpsAgent.Collector.Storage.Chunks;

/// <summary>
/// Thrown when stored bytes (a chunk, a head or a write-ahead record) do not decode: a checksum mismatch, a
/// truncated record or an impossible field. Callers quarantine the record instead of crashing.
/// </summary>
internal sealed class ChunkFormatException : Exception
{
    public ChunkFormatException(string message)
        : base(message)
    {
    }

    public ChunkFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
