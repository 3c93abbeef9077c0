using OpsAgent.Agent.Footprint;

namespace OpsAgent.Agent.Tests.Footprint;

public sealed class ExecutableMappingsTests
{
    private const string Maps = """
        55fd1aaec000-55fd1ab03000 r--p 00000000 fe:01 1234 /opt/opsagent/OpsAgent.Agent
        55fd1ab03000-55fd1b0de000 r-xp 00017000 fe:01 1234 /opt/opsagent/OpsAgent.Agent
        55fd1b65c000-55fd1b65e000 rw-p 00b70000 fe:01 1234 /opt/opsagent/OpsAgent.Agent
        55fd1b65e000-55fd1b680000 rw-p 00000000 00:00 0
        7f0d324b8000-7f0d3260e000 r-xp 00028000 fe:01 77 /usr/lib/x86_64-linux-gnu/libc.so.6
        7f0d33000000-7f0d33001000 r--p 00000000 fe:01 88 /opt/my tools/OpsAgent.Agent
        garbage line
        """;

    [Fact]
    public void ReadOnlyRanges_MapsOfTheExecutable_ReturnsOnlyItsNonWritableMappings()
    {
        List<(ulong Start, ulong End)> ranges = ExecutableMappings.ReadOnlyRanges(Maps, "/opt/opsagent/OpsAgent.Agent");

        Assert.Equal([(0x55fd1aaec000UL, 0x55fd1ab03000UL), (0x55fd1ab03000UL, 0x55fd1b0de000UL)], ranges);
    }

    [Fact]
    public void ReadOnlyRanges_PathWithSpaces_MatchesTheWholePath()
    {
        List<(ulong Start, ulong End)> ranges = ExecutableMappings.ReadOnlyRanges(Maps, "/opt/my tools/OpsAgent.Agent");

        Assert.Equal([(0x7f0d33000000UL, 0x7f0d33001000UL)], ranges);
    }

    [Fact]
    public void Release_OwnExecutable_AdvisesItsMappingsAndKeepsRunning()
    {
        var logger = new RecordingLogger<StartupPageRelease>();
        var release = new StartupPageRelease(TimeProvider.System, logger);

        ulong bytes = release.Release(Environment.ProcessPath!);

        string logged = string.Join(Environment.NewLine, logger.Entries.Select(e => e.Message));
        if (OperatingSystem.IsLinux())
        {
            // The test host's own code was paged out and faulted back in: it is still running, and it said what it did.
            Assert.True(bytes > 0, logged);
            Assert.Contains(logger.Entries, e => e.EventId == 1501);
        }
        else
        {
            // No /proc: nothing released, and the reason is logged instead of thrown.
            Assert.Equal(0UL, bytes);
            Assert.Contains(logger.Entries, e => e.EventId == 1503);
        }
    }
}
