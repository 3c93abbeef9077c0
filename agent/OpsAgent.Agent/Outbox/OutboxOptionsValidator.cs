namespace OpsAgent.Agent.Outbox;

/// <summary>Checks <see cref="OutboxOptions"/> (called by the agent's options validator); every message names the key and the fix.</summary>
internal static class OutboxOptionsValidator
{
    private const string Prefix = "Agent:Outbox:";
    private const long MinDiskBytes = 1024 * 1024;
    private const long MinMemoryBytes = 64 * 1024;

    public static void Validate(OutboxOptions options, List<string> errors)
    {
        if (!Enum.IsDefined(options.Storage))
        {
            errors.Add($"{Prefix}Storage must be Disk or Memory; got {options.Storage}.");
        }

        if (!Enum.IsDefined(options.Fsync))
        {
            errors.Add($"{Prefix}Fsync must be Interval, Always or Never; got {options.Fsync}.");
        }

        if (options.MaxDiskBytes < MinDiskBytes)
        {
            errors.Add($"{Prefix}MaxDiskBytes must be at least {MinDiskBytes} (1 MiB); got {options.MaxDiskBytes}. It bounds the outbox's files in the state directory.");
        }

        if (options.MaxMemoryBytes < MinMemoryBytes)
        {
            errors.Add($"{Prefix}MaxMemoryBytes must be at least {MinMemoryBytes} (64 KiB); got {options.MaxMemoryBytes}.");
        }
        else if (options.Storage == OutboxStorage.Disk && options.MaxMemoryBytes > options.MaxDiskBytes)
        {
            errors.Add($"{Prefix}MaxMemoryBytes ({options.MaxMemoryBytes}) is above {Prefix}MaxDiskBytes ({options.MaxDiskBytes}); memory only holds part of what is on disk. Lower it or raise MaxDiskBytes.");
        }

        if (options.SegmentBytes < 64 * 1024)
        {
            errors.Add($"{Prefix}SegmentBytes must be at least 65536 (64 KiB); got {options.SegmentBytes}.");
        }

        if (options.FsyncInterval < TimeSpan.FromMilliseconds(10) || options.FsyncInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{Prefix}FsyncInterval must be between 00:00:00.010 and 00:01:00; got {options.FsyncInterval}.");
        }
    }
}
