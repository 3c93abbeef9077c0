using Microsoft.Extensions.Options;
using OpsAgent.Agent.Commands;
using OpsAgent.Agent.Configuration;

namespace OpsAgent.Agent.Identity;

/// <summary>
/// The pinned command key of the running agent: loaded from STATE/identity/command-key.pem on first use and again
/// whenever the file changes (the agent enrolled after it started, or enrolled anew). Null while nothing is pinned:
/// a command that arrives then cannot be verified and must be rejected.
/// </summary>
internal sealed class PinnedCommandKeyProvider(IOptions<AgentOptions> options) : ICommandKeyProvider
{
    private readonly string _directory = Path.Combine(options.Value.StateDirectory, AgentCredentials.DirectoryName);
    private readonly Lock _lock = new();
    private PinnedCommandKey? _key;
    private DateTime _loadedWriteTime;

    /// <summary>The pinned key, or null when none is pinned. Throws <see cref="InvalidDataException"/> when the file is damaged.</summary>
    public PinnedCommandKey? Current
    {
        get
        {
            string path = Path.Combine(_directory, PinnedCommandKey.FileName);
            DateTime written = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
            lock (_lock)
            {
                if (written != _loadedWriteTime || (_key is null && written != DateTime.MinValue))
                {
                    // The previous key object is not disposed: a verification in progress may still hold it.
                    _key = PinnedCommandKey.TryLoad(_directory);
                    _loadedWriteTime = written;
                }

                return _key;
            }
        }
    }

    public ICommandKey? GetPinnedKey() => Current;
}
