using OpsAgent.Agent.Outbox;

namespace OpsAgent.Agent.Tests.Outbox;

public sealed class SequenceAllocatorTests
{
    [Fact]
    public void Next_AfterRestart_NeverRepeatsANumber()
    {
        using var dir = new TempDirectory();
        var first = new SequenceAllocator(dir.Path);
        ulong a = first.Next();
        ulong b = first.Next();

        // A restart (or a crash) without any shutdown step: a new allocator over the same directory.
        var second = new SequenceAllocator(dir.Path);
        ulong c = second.Next();

        Assert.Equal(1UL, a);
        Assert.Equal(2UL, b);
        Assert.True(c > b, $"sequence {c} after restart must be above {b}");
    }

    [Fact]
    public void Next_ManyRestarts_StrictlyIncreasing()
    {
        using var dir = new TempDirectory();
        ulong last = 0;
        for (int i = 0; i < 5; i++)
        {
            var allocator = new SequenceAllocator(dir.Path);
            for (int j = 0; j < 3; j++)
            {
                ulong next = allocator.Next();
                Assert.True(next > last);
                last = next;
            }
        }
    }

    [Fact]
    public void Constructor_CorruptFile_ThrowsWithPathAndAdvice()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "sequence"), "garbage");

        var ex = Assert.Throws<InvalidDataException>(() => new SequenceAllocator(dir.Path));

        Assert.Contains(Path.Combine(dir.Path, "sequence"), ex.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureAbove_HigherNumber_SkipsPastIt()
    {
        using var dir = new TempDirectory();
        var allocator = new SequenceAllocator(dir.Path);
        allocator.EnsureAbove(500_000);

        Assert.Equal(500_001UL, allocator.Next());
    }
}
