using OpsAgent.Protocol;

namespace OpsAgent.Collector.Ingest;

/// <summary>What validation kept and dropped from one batch.</summary>
internal sealed class ValidationOutcome
{
    private const int MaxReported = 5;

    private Dictionary<string, int>? _counts;

    /// <summary>True when nothing of the batch may be stored.</summary>
    public bool RejectedWhole { get; private set; }

    public int AcceptedItems { get; set; }

    public int RejectedItems { get; private set; }

    /// <summary>The first few rejections, for the ack and the agent's log.</summary>
    public List<Rejection> Reported { get; } = [];

    /// <summary>Rejected items per code, for /metrics.</summary>
    public IReadOnlyDictionary<string, int> CountsByCode => _counts ?? (IReadOnlyDictionary<string, int>)EmptyCounts;

    private static readonly Dictionary<string, int> EmptyCounts = [];

    public void RejectWhole(string code, string message)
    {
        RejectedWhole = true;
        Reject(code, "batch", message);
    }

    public void Reject(string code, string item, string message, int count = 1)
    {
        RejectedItems += count;
        _counts ??= new Dictionary<string, int>(StringComparer.Ordinal);
        _counts[code] = _counts.GetValueOrDefault(code) + count;
        if (Reported.Count < MaxReported)
        {
            Reported.Add(new Rejection { Code = code, Item = item.Length > 200 ? item[..200] : item, Message = message });
        }
    }
}
