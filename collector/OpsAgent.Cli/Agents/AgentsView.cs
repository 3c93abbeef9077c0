using System.Globalization;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OpsAgent.Cli.Agents;

/// <summary>Tables of agents for people.</summary>
internal static class AgentsView
{
    public static Table List(IEnumerable<AgentInfo> agents, DateTimeOffset now)
    {
        var table = CommandOutput.CreateTable("Host", "Agent ID", "Version", "Labels", "Connected", "Last seen");
        foreach (var agent in agents)
        {
            CommandOutput.AddRow(
                table,
                agent.Hostname,
                agent.AgentId,
                Or(agent.AgentVersion),
                LabelFormatter.Format(agent.Labels),
                Connected(agent, now),
                TimeFormatter.Ago(agent.LastSeenUnixMs, now));
        }

        return table;
    }

    public static Grid Details(AgentInfo agent, DateTimeOffset now, TimeZoneInfo zone)
    {
        var facts = agent.Host ?? new HostFacts();
        var grid = new Grid();
        grid.AddColumn(new GridColumn { NoWrap = true, Padding = new Padding(0, 0, 2, 0) });
        grid.AddColumn(new GridColumn());

        Add("Agent ID", agent.AgentId);
        Add("Host", agent.Hostname);
        Add("Version", Or(agent.AgentVersion));
        Add("Labels", LabelFormatter.Format(agent.Labels));
        Add("Connected", agent.Connected
            ? $"yes, since {TimeFormatter.Local(agent.ConnectedSinceUnixMs, zone)} ({TimeFormatter.Ago(agent.ConnectedSinceUnixMs, now)})"
            : "no");
        Add("Last seen", When(agent.LastSeenUnixMs));
        Add("First seen", When(agent.FirstSeenUnixMs));
        Add("Remote address", Or(agent.RemoteAddress));
        Add("OS", string.Join(", ", new[] { facts.Os, facts.OsVersion }.Where(s => s.Length > 0)) is { Length: > 0 } os ? os : "-");
        Add("Kernel", Or(facts.Kernel));
        Add("Arch", Or(facts.Arch));
        Add("CPUs", facts.CpuCount == 0 ? "-" : facts.CpuCount.ToString(CultureInfo.InvariantCulture));
        Add("Memory", facts.MemoryBytes == 0 ? "-" : ValueFormatter.Format(facts.MemoryBytes, "By"));
        Add("Booted", facts.BootTimeUnixMs <= 0
            ? "-"
            : $"{TimeFormatter.Local(facts.BootTimeUnixMs, zone)} (up {TimeFormatter.Age(now - DateTimeOffset.FromUnixTimeMilliseconds(facts.BootTimeUnixMs))})");
        Add("Machine ID", Or(facts.MachineId));
        Add("Capabilities", agent.Capabilities.Count == 0 ? "-" : string.Join(',', agent.Capabilities));
        Add("Batches stored", agent.BatchesStored.ToString(CultureInfo.InvariantCulture));
        Add("Samples stored", agent.SamplesStored.ToString(CultureInfo.InvariantCulture));
        Add("Last sequence", agent.LastSequence.ToString(CultureInfo.InvariantCulture));
        return grid;

        void Add(string key, string value) =>
            grid.AddRow(new IRenderable[] { new Text(key + ":", new Style(decoration: Decoration.Bold)), new Text(value) });

        string When(long unixMs) =>
            unixMs <= 0 ? "never" : $"{TimeFormatter.Ago(unixMs, now)} ({TimeFormatter.Local(unixMs, zone)})";
    }

    private static string Connected(AgentInfo agent, DateTimeOffset now) =>
        !agent.Connected
            ? "no"
            : agent.ConnectedSinceUnixMs > 0
                ? $"yes ({TimeFormatter.Age(now - DateTimeOffset.FromUnixTimeMilliseconds(agent.ConnectedSinceUnixMs))})"
                : "yes";

    private static string Or(string value) => string.IsNullOrEmpty(value) ? "-" : value;
}
