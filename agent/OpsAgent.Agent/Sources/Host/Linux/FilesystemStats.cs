namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>What statvfs(3) says about one filesystem, in blocks of <see cref="BlockSize"/> bytes and in inodes.</summary>
/// <param name="BlocksFree">Free blocks, including those reserved for root.</param>
/// <param name="BlocksAvailable">Free blocks an unprivileged user may use.</param>
internal readonly record struct FilesystemStats(
    ulong BlockSize,
    ulong Blocks,
    ulong BlocksFree,
    ulong BlocksAvailable,
    ulong Files,
    ulong FilesFree);
