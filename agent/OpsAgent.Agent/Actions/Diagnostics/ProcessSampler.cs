using System.ComponentModel;
using System.Diagnostics;

namespace OpsAgent.Agent.Actions.Diagnostics;

/// <summary>
/// Samples every process twice, <see cref="Window"/> apart, and returns each one's resident memory and CPU use over
/// that window. CPU "now" needs two readings; a single reading gives only the CPU used since the process started.
/// </summary>
internal sealed class ProcessSampler(TimeProvider timeProvider, TimeSpan window)
{
    public TimeSpan Window { get; } = window;

    public async Task<List<ProcessUsage>> SampleAsync(CancellationToken cancellationToken)
    {
        Dictionary<int, ProcessSample> first = Read();
        await Task.Delay(Window, timeProvider, cancellationToken).ConfigureAwait(false);
        Dictionary<int, ProcessSample> second = Read();
        double seconds = Window.TotalSeconds;
        var usage = new List<ProcessUsage>(second.Count);
        foreach (ProcessSample now in second.Values)
        {
            // A process that started during the window has all its CPU time inside it.
            double before = first.TryGetValue(now.Pid, out ProcessSample? earlier) && earlier.Name == now.Name ? earlier.CpuSeconds : 0;
            usage.Add(new ProcessUsage(now.Pid, now.Name, now.ResidentBytes, Math.Max(0, now.CpuSeconds - before) / seconds * 100));
        }

        return usage;
    }

    private static Dictionary<int, ProcessSample> Read() => OperatingSystem.IsLinux() ? LinuxProcessTable.Read() : ReadPortable();

    private static Dictionary<int, ProcessSample> ReadPortable()
    {
        var samples = new Dictionary<int, ProcessSample>();
        foreach (Process process in Process.GetProcesses())
        {
            using (process)
            {
                try
                {
                    samples[process.Id] = new ProcessSample(process.Id, process.ProcessName, process.WorkingSet64, process.TotalProcessorTime.TotalSeconds);
                }
                catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
                {
                    // Exited, or a protected system process whose times cannot be read.
                }
            }
        }

        return samples;
    }
}
