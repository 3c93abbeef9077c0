namespace OpsAgent.Agent.Sources.Host;

/// <summary>The label sets of the CPU series, built once per CPU id instead of once per sample.</summary>
internal sealed class CpuLabels
{
    /// <summary>The values of the <c>state</c> label, in the order of the fields of <see cref="CpuTimes"/>.</summary>
    public static readonly string[] States = ["user", "nice", "system", "idle", "iowait", "interrupt", "softirq", "steal"];

    private MetricLabel[][][] _perCpuState = [];
    private MetricLabel[][] _perCpu = [];

    public CpuLabels()
    {
        StateOnly = Array.ConvertAll(States, static s => new[] { new MetricLabel("state", s) });
    }

    /// <summary><c>state=…</c>, indexed like <see cref="States"/>.</summary>
    public MetricLabel[][] StateOnly { get; }

    /// <summary><c>cpu=N</c>.</summary>
    public MetricLabel[] Cpu(int id)
    {
        Ensure(id);
        return _perCpu[id];
    }

    /// <summary><c>cpu=N, state=…</c>, indexed like <see cref="States"/>.</summary>
    public MetricLabel[][] CpuState(int id)
    {
        Ensure(id);
        return _perCpuState[id];
    }

    /// <summary>The per-mode values of <paramref name="times"/>, in the order of <see cref="States"/>.</summary>
    public static void Fill(in CpuTimes times, Span<ulong> values)
    {
        values[0] = times.User;
        values[1] = times.Nice;
        values[2] = times.System;
        values[3] = times.Idle;
        values[4] = times.IoWait;
        values[5] = times.Irq;
        values[6] = times.SoftIrq;
        values[7] = times.Steal;
    }

    private void Ensure(int id)
    {
        if (id < _perCpu.Length && _perCpu[id] is not null)
        {
            return;
        }

        if (id >= _perCpu.Length)
        {
            Array.Resize(ref _perCpu, Math.Max(id + 1, _perCpu.Length * 2));
            Array.Resize(ref _perCpuState, _perCpu.Length);
        }

        string cpu = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _perCpu[id] = [new MetricLabel("cpu", cpu)];
        _perCpuState[id] = Array.ConvertAll(States, s => new[] { new MetricLabel("cpu", cpu), new MetricLabel("state", s) });
    }
}
