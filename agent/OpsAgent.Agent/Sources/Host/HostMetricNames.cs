namespace OpsAgent.Agent.Sources.Host;

/// <summary>
/// Metric names, units and label values of the host sources, after the OpenTelemetry semantic conventions for
/// system metrics. Label keys are the short forms (<c>state</c>, <c>cpu</c>, <c>device</c>, <c>direction</c>) that
/// the rest of OpsAgent queries by.
/// </summary>
internal static class HostMetricNames
{
    public const string CpuTime = "system.cpu.time";
    public const string CpuUtilization = "system.cpu.utilization";
    public const string CpuLogicalCount = "system.cpu.logical.count";
    public const string LoadAverage1m = "system.cpu.load_average.1m";
    public const string LoadAverage5m = "system.cpu.load_average.5m";
    public const string LoadAverage15m = "system.cpu.load_average.15m";

    public const string MemoryUsage = "system.memory.usage";
    public const string MemoryUtilization = "system.memory.utilization";
    public const string MemoryLimit = "system.memory.limit";
    public const string MemoryLinuxAvailable = "system.memory.linux.available";
    public const string PagingUsage = "system.paging.usage";
    public const string PagingUtilization = "system.paging.utilization";
    public const string PagingFaults = "system.paging.faults";
    public const string PagingOperations = "system.paging.operations";

    public const string FilesystemUsage = "system.filesystem.usage";
    public const string FilesystemUtilization = "system.filesystem.utilization";
    public const string FilesystemLimit = "system.filesystem.limit";
    public const string FilesystemInodesUsage = "system.filesystem.inodes.usage";
    public const string FilesystemInodesUtilization = "system.filesystem.inodes.utilization";

    public const string DiskIo = "system.disk.io";
    public const string DiskOperations = "system.disk.operations";
    public const string DiskIoTime = "system.disk.io_time";
    public const string DiskOperationTime = "system.disk.operation_time";
    public const string DiskPendingOperations = "system.disk.pending_operations";

    public const string NetworkIo = "system.network.io";
    public const string NetworkPackets = "system.network.packets";
    public const string NetworkErrors = "system.network.errors";
    public const string NetworkDropped = "system.network.dropped";

    public const string ProcessCount = "system.process.count";
    public const string ProcessesCount = "system.processes.count";
    public const string ProcessesCreated = "system.processes.created";
    public const string Uptime = "system.uptime";
    public const string Temperature = "hw.temperature";

    public const string UnitSeconds = "s";
    public const string UnitBytes = "By";
    public const string UnitRatio = "1";
    public const string UnitCpu = "{cpu}";
    public const string UnitThread = "{thread}";
    public const string UnitProcess = "{process}";
    public const string UnitOperation = "{operation}";
    public const string UnitPacket = "{packet}";
    public const string UnitError = "{error}";
    public const string UnitFault = "{fault}";
    public const string UnitInode = "{inode}";
    public const string UnitCelsius = "Cel";
}
