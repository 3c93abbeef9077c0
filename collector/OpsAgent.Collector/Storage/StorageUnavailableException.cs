namespace OpsAgent.Collector.Storage;

/// <summary>The database cannot be opened or written; the message says which file and what to do.</summary>
internal sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
