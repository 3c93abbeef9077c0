using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class MountInfoParserTests
{
    [Fact]
    public void Parse_CapturedFile_ReadsEveryMount()
    {
        string text = FixtureFiles.Read("Linux/captured-vm/proc/self/mountinfo");

        List<MountInfo> mounts = MountInfoParser.Parse(text, out int malformed);

        Assert.Equal(0, malformed);
        Assert.Equal(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, mounts.Count);
        MountInfo root = Assert.Single(mounts, m => m.MountPoint == "/");
        Assert.Equal("ext4", root.FsType);
        Assert.Equal("/dev/vda", root.Source);
        Assert.Equal((254u, 0u), (root.Major, root.Minor));
        Assert.False(root.ReadOnly);
    }

    [Fact]
    public void Parse_DockerHost_ReadsDozensOfMountsWithOptionalFields()
    {
        List<MountInfo> mounts = MountInfoParser.Parse(FixtureFiles.Read("Linux/mountinfo/docker-host.txt"), out int malformed);

        Assert.Equal(0, malformed);
        Assert.Equal(65, mounts.Count);
        MountInfo nfs = Assert.Single(mounts, m => m.MountPoint == "/mnt/backup");
        Assert.Equal(new MountInfo(74, 0, 40, "/", "/mnt/backup", false, "nfs4", "nas.example.internal:/volume1/backup"), nfs);
        Assert.True(Assert.Single(mounts, m => m.MountPoint == "/snap/lxd/28373").ReadOnly);
    }

    [Fact]
    public void Parse_EscapedPaths_UndoesOctalEscapes()
    {
        List<MountInfo> mounts = MountInfoParser.Parse(FixtureFiles.Read("Linux/mountinfo/escaped.txt"), out int malformed);

        Assert.Equal(0, malformed);
        Assert.Equal(
            ["/", "/mnt/My Disk", "/mnt/tab\tand\\backslash", "/mnt/empty-source", "/mnt/ünïcode", "/mnt/bad\\04escape"],
            mounts.Select(m => m.MountPoint));
        Assert.False(mounts[2].ReadOnly); // "ro" per mount, "rw" super options: a read-only view of a writable filesystem
    }

    [Fact]
    public void Parse_FilesystemRemountedReadOnlyAfterErrors_IsReadOnlyWhateverTheMountSays()
    {
        List<MountInfo> mounts = MountInfoParser.Parse("40 21 8:49 / /srv rw,relatime shared:9 - ext4 /dev/sdd1 ro,errors=remount-ro\n", out _);

        Assert.True(Assert.Single(mounts).ReadOnly);
    }

    [Fact]
    public void Parse_EmptySource_KeepsItEmpty()
    {
        List<MountInfo> mounts = MountInfoParser.Parse(FixtureFiles.Read("Linux/mountinfo/escaped.txt"), out _);

        MountInfo mount = Assert.Single(mounts, m => m.MountPoint == "/mnt/empty-source");
        Assert.Equal("", mount.Source);
        Assert.Equal("tmpfs", mount.FsType);
    }

    [Fact]
    public void Parse_MalformedLines_SkipsAndCountsThem()
    {
        List<MountInfo> mounts = MountInfoParser.Parse(FixtureFiles.Read("Linux/mountinfo/malformed.txt"), out int malformed);

        Assert.Equal(6, malformed);
        Assert.Equal(["/", "/good"], mounts.Select(m => m.MountPoint));
    }

    [Theory]
    [InlineData(@"plain", "plain")]
    [InlineData(@"a\040b", "a b")]
    [InlineData(@"\134", "\\")]
    [InlineData(@"trailing\04", @"trailing\04")]
    [InlineData(@"\999", @"\999")]
    public void Unescape_Text_UndoesOnlyValidOctalEscapes(string text, string expected)
    {
        Assert.Equal(expected, MountInfoParser.Unescape(text));
    }
}
