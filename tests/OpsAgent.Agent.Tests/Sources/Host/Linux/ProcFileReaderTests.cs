using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class ProcFileReaderTests
{
    [Fact]
    public void ReadAll_FileLargerThanTheBuffer_ReadsItWhole()
    {
        using TempTree tree = TempTree.Empty();
        string content = string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i} with ünïcode\n"));
        tree.Write("big", content);
        var reader = new ProcFileReader();

        string read = reader.ReadAll(Path.Combine(tree.Root, "big")).ToString();

        Assert.Equal(content, read);
    }

    [Fact]
    public void ReadAll_TwoFilesInTurn_ReturnsEachOnesContent()
    {
        using TempTree tree = TempTree.Empty();
        tree.Write("a", "long content of the first file\n");
        tree.Write("b", "second\n");
        var reader = new ProcFileReader();

        reader.ReadAll(Path.Combine(tree.Root, "a"));
        string second = reader.ReadAll(Path.Combine(tree.Root, "b")).ToString();

        Assert.Equal("second\n", second);
    }

    [Fact]
    public void TryReadAll_MissingFileOrDirectory_ReturnsFalse()
    {
        var reader = new ProcFileReader();

        Assert.False(reader.TryReadAll("/nonexistent-dir/file", out _));
        Assert.False(reader.TryReadAll(Path.Combine(Path.GetTempPath(), "no-such-file-" + Guid.NewGuid()), out _));
    }

    [Fact]
    public void ReadAll_MissingFile_ThrowsAnIOExceptionNamingThePath()
    {
        var reader = new ProcFileReader();

        var error = Assert.ThrowsAny<IOException>(() => reader.ReadAll("/nonexistent-dir/meminfo").Length);

        Assert.Contains("/nonexistent-dir/meminfo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAll_ProcFileOfThisMachine_ReadsTextThatReportsNoSize()
    {
        var reader = new ProcFileReader();
        string path = OperatingSystem.IsLinux() ? "/proc/self/status" : FixtureFiles.PathOf("Linux/captured-vm/proc/meminfo");

        string text = reader.ReadAll(path).ToString();

        Assert.NotEmpty(text);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
    }
}
