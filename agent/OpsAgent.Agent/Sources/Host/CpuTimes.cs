namespace OpsAgent.Agent.Sources.Host;

/// <summary>
/// Cumulative time one logical CPU (or all of them) spent in each mode, in the platform's ticks (USER_HZ on Linux,
/// 100 ns on Windows). Guest time is not a mode of its own: Linux already counts it in user and nice.
/// </summary>
internal readonly record struct CpuTimes(
    ulong User,
    ulong Nice,
    ulong System,
    ulong Idle,
    ulong IoWait,
    ulong Irq,
    ulong SoftIrq,
    ulong Steal)
{
    public ulong Total => User + Nice + System + Idle + IoWait + Irq + SoftIrq + Steal;

    /// <summary>Time not spent idle or waiting for I/O: the "busy" part of <see cref="Total"/>.</summary>
    public ulong Busy => Total - Idle - IoWait;

    /// <summary>True when no mode of <paramref name="earlier"/> is ahead of this reading.</summary>
    public bool IsAtLeast(in CpuTimes earlier) =>
        User >= earlier.User && Nice >= earlier.Nice && System >= earlier.System && Idle >= earlier.Idle &&
        IoWait >= earlier.IoWait && Irq >= earlier.Irq && SoftIrq >= earlier.SoftIrq && Steal >= earlier.Steal;

    /// <summary>The per-mode difference; only meaningful when <see cref="IsAtLeast"/> holds.</summary>
    public CpuTimes Minus(in CpuTimes earlier) => new(
        User - earlier.User,
        Nice - earlier.Nice,
        System - earlier.System,
        Idle - earlier.Idle,
        IoWait - earlier.IoWait,
        Irq - earlier.Irq,
        SoftIrq - earlier.SoftIrq,
        Steal - earlier.Steal);

    public CpuTimes Plus(in CpuTimes other) => new(
        User + other.User,
        Nice + other.Nice,
        System + other.System,
        Idle + other.Idle,
        IoWait + other.IoWait,
        Irq + other.Irq,
        SoftIrq + other.SoftIrq,
        Steal + other.Steal);
}
