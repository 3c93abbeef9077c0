namespace OpsAgent.Collector.Storage.Chunks;

/// <summary>A chosen decimal encoding of one chunk's values: exponent, integers, exceptions and integer order.</summary>
internal sealed class DecimalPlan(int exponent, long[] integers, bool[]? exceptions, int exceptionCount, int order, int size)
{
    public int Exponent { get; } = exponent;

    public long[] Integers { get; } = integers;

    public int ExceptionCount { get; } = exceptionCount;

    public int Order { get; } = order;

    /// <summary>Encoded size in bytes.</summary>
    public int Size { get; } = size;

    public bool IsException(int index) => exceptions is not null && exceptions[index];
}
