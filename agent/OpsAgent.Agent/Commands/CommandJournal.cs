using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using OpsAgent.Agent.Actions;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Commands;

/// <summary>
/// The agent's memory of the commands it accepted, kept in the state directory so that it survives restarts: which
/// nonces were used (a nonce is accepted for one command only) and what each command id produced (a command id runs at
/// most once; asking again returns the stored result). One small JSON file per command, written before the command
/// starts and again with its result.
/// </summary>
/// <remarks>
/// Bounded: a record is forgotten once its command has expired (plus the allowed clock skew), because from then on
/// the verifier rejects that command anyway; and at most <c>capacity</c> unexpired commands are remembered, beyond
/// which new ones are rejected rather than old nonces forgotten early. A command that was running when the agent
/// stopped is, at the next start, given a FAILED result that says so: it is never run a second time.
/// Thread-safe.
/// </remarks>
internal sealed partial class CommandJournal
{
    /// <summary>Output kept with a stored result (a result sent again carries at most this much, flagged as truncated).</summary>
    public const int StoredOutputBytes = 16 * 1024;

    private const string Extension = ".json";

    private readonly string _directory;
    private readonly int _capacity;
    private readonly long _skewMs;
    private readonly ILogger<CommandJournal> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nonceOwners = new(StringComparer.Ordinal);
    private readonly List<CommandResult> _interrupted = [];

    public CommandJournal(string directory, int capacity, TimeSpan clockSkew, TimeProvider timeProvider, ILogger<CommandJournal> logger)
    {
        _directory = directory;
        _capacity = capacity;
        _skewMs = (long)clockSkew.TotalMilliseconds;
        _logger = logger;
        Load(timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>Commands remembered now (run, running, or queued).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count + _inFlight.Count;
            }
        }
    }

    /// <summary>Results made at start-up for commands that were running when the agent stopped; each is returned once.</summary>
    public IReadOnlyList<CommandResult> TakeInterrupted()
    {
        lock (_lock)
        {
            CommandResult[] taken = [.. _interrupted];
            _interrupted.Clear();
            return taken;
        }
    }

    /// <summary>Checks a verified command against what was seen before and, when it is new, marks it in flight.</summary>
    public JournalAdmission Admit(Command command, long nowUnixMs)
    {
        string id = command.CommandId;
        string nonce = Convert.ToBase64String(command.Nonce.Span);
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out Entry? entry))
            {
                if (entry.Result is not null && IsLive(entry, nowUnixMs))
                {
                    return new JournalAdmission(JournalAdmissionKind.AlreadyRun, entry.Result.Clone());
                }

                if (entry.Result is null)
                {
                    // Running now (possibly past its expiry): never twice at once.
                    return new JournalAdmission(JournalAdmissionKind.InFlight);
                }
            }

            if (_inFlight.ContainsKey(id))
            {
                return new JournalAdmission(JournalAdmissionKind.InFlight);
            }

            if (_nonceOwners.TryGetValue(nonce, out string? owner) && owner != id && IsLive(owner, nowUnixMs))
            {
                return new JournalAdmission(JournalAdmissionKind.NonceReused, NonceOwner: owner);
            }

            if (_entries.Count + _inFlight.Count >= _capacity)
            {
                PruneLocked(nowUnixMs);
                if (_entries.Count + _inFlight.Count >= _capacity)
                {
                    return new JournalAdmission(JournalAdmissionKind.Full);
                }
            }

            _inFlight[id] = new Entry(id, nonce, command.ExpiresUnixMs, nowUnixMs, null);
            _nonceOwners[nonce] = id;
            return new JournalAdmission(JournalAdmissionKind.Accepted);
        }
    }

    /// <summary>Forgets an admitted command that will not run (the agent is stopping before it started).</summary>
    public void Withdraw(string commandId)
    {
        lock (_lock)
        {
            if (_inFlight.Remove(commandId, out Entry? entry))
            {
                ForgetNonce(entry);
            }
        }
    }

    /// <summary>Durably records that a command starts. Throws when it cannot: a command that is not recorded must not run.</summary>
    public void Begin(Command command, long nowUnixMs)
    {
        lock (_lock)
        {
            Entry entry = TakeInFlight(command, nowUnixMs);
            try
            {
                Write(entry);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ForgetNonce(entry);
                throw;
            }

            Store(entry);
        }
    }

    /// <summary>Stores the result of a command that began; it is what a repeated command id gets from now on.</summary>
    public void Complete(string commandId, CommandResult result)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(commandId, out Entry? entry))
            {
                return;
            }

            entry.Result = ForStorage(result);
            TryWrite(entry);
        }
    }

    /// <summary>Records the final result of an admitted command that never ran (rejected after admission).</summary>
    public void Record(Command command, CommandResult result, long nowUnixMs)
    {
        lock (_lock)
        {
            Entry entry = TakeInFlight(command, nowUnixMs);
            entry.Result = ForStorage(result);
            Store(entry);
            TryWrite(entry);
        }
    }

    /// <summary>Forgets commands that have expired (plus the clock skew) and deletes their files.</summary>
    public int Prune(long nowUnixMs)
    {
        lock (_lock)
        {
            return PruneLocked(nowUnixMs);
        }
    }

    private Entry TakeInFlight(Command command, long nowUnixMs)
    {
        if (_inFlight.Remove(command.CommandId, out Entry? entry))
        {
            return entry;
        }

        // Not admitted through Admit (a caller's mistake, or a test): record it all the same.
        string nonce = Convert.ToBase64String(command.Nonce.Span);
        _nonceOwners[nonce] = command.CommandId;
        return new Entry(command.CommandId, nonce, command.ExpiresUnixMs, nowUnixMs, null);
    }

    private void Store(Entry entry)
    {
        if (_entries.TryGetValue(entry.CommandId, out Entry? previous) && previous.Nonce != entry.Nonce)
        {
            ForgetNonce(previous);
        }

        _entries[entry.CommandId] = entry;
        _nonceOwners[entry.Nonce] = entry.CommandId;
    }

    private int PruneLocked(long nowUnixMs)
    {
        List<Entry>? expired = null;
        foreach (Entry entry in _entries.Values)
        {
            if (!IsLive(entry, nowUnixMs) && entry.Result is not null)
            {
                (expired ??= []).Add(entry);
            }
        }

        if (expired is null)
        {
            return 0;
        }

        foreach (Entry entry in expired)
        {
            _entries.Remove(entry.CommandId);
            ForgetNonce(entry);
            try
            {
                File.Delete(PathOf(entry.CommandId));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogDeleteFailed(_logger, PathOf(entry.CommandId), ex.Message);
            }
        }

        return expired.Count;
    }

    private void ForgetNonce(Entry entry)
    {
        if (_nonceOwners.TryGetValue(entry.Nonce, out string? owner) && owner == entry.CommandId)
        {
            _nonceOwners.Remove(entry.Nonce);
        }
    }

    private bool IsLive(Entry entry, long nowUnixMs) => nowUnixMs <= entry.ExpiresUnixMs + _skewMs;

    private bool IsLive(string commandId, long nowUnixMs) =>
        _inFlight.ContainsKey(commandId) || (_entries.TryGetValue(commandId, out Entry? entry) && IsLive(entry, nowUnixMs));

    private void Load(long nowUnixMs)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_directory);
        }
        else
        {
            Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (string file in Directory.EnumerateFiles(_directory))
        {
            if (!file.EndsWith(Extension, StringComparison.Ordinal))
            {
                if (file.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    // A write that a crash interrupted; the record it replaced (if any) is still in place.
                    File.Delete(file);
                }

                continue;
            }

            Entry? entry = ReadEntry(file);
            if (entry is null)
            {
                continue;
            }

            if (!IsLive(entry, nowUnixMs))
            {
                File.Delete(file);
                continue;
            }

            if (entry.Result is null)
            {
                entry.Result = new CommandResult
                {
                    CommandId = entry.CommandId,
                    Status = CommandStatus.Failed,
                    Reason = "The agent stopped (restart, crash or power loss) while this command was running, so its outcome is unknown. " +
                        "It was not run again (a command id runs at most once): check the state of what it acted on, and send a new command if needed.",
                    StartedUnixMs = entry.AcceptedUnixMs,
                };
                _interrupted.Add(entry.Result.Clone());
                TryWrite(entry);
                LogInterrupted(_logger, entry.CommandId);
            }

            _entries[entry.CommandId] = entry;
            _nonceOwners[entry.Nonce] = entry.CommandId;
        }
    }

    private Entry? ReadEntry(string file)
    {
        try
        {
            JournalRecord record = JsonSerializer.Deserialize(File.ReadAllBytes(file), JournalJsonContext.Default.JournalRecord)
                ?? throw new JsonException("the file holds null");
            if (record.CommandId.Length == 0 || Convert.FromBase64String(record.Nonce).Length == 0)
            {
                throw new JsonException("the record has no command id or nonce");
            }

            CommandResult? result = record.Result is null ? null : CommandResult.Parser.ParseFrom(Convert.FromBase64String(record.Result));
            return new Entry(record.CommandId, record.Nonce, record.ExpiresUnixMs, record.AcceptedUnixMs, result);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidProtocolBufferException)
        {
            // Written by rename after fsync, so this is damage from outside; keep the file for inspection, do not crash-loop.
            string quarantined = file + ".corrupt";
            File.Move(file, quarantined, overwrite: true);
            LogCorrupt(_logger, file, ex.Message, quarantined);
            return null;
        }
    }

    private void TryWrite(Entry entry)
    {
        try
        {
            Write(entry);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(_logger, entry.CommandId, PathOf(entry.CommandId), ex.Message);
        }
    }

    private void Write(Entry entry)
    {
        var record = new JournalRecord
        {
            CommandId = entry.CommandId,
            Nonce = entry.Nonce,
            ExpiresUnixMs = entry.ExpiresUnixMs,
            AcceptedUnixMs = entry.AcceptedUnixMs,
            Result = entry.Result is null ? null : Convert.ToBase64String(entry.Result.ToByteArray()),
        };
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(record, JournalJsonContext.Default.JournalRecord);
        string path = PathOf(entry.CommandId);
        string temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Command ids come from the collector: the file name is a hash of the id, never the id itself.</summary>
    private string PathOf(string commandId) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(commandId)))[..32] + Extension);

    private static CommandResult ForStorage(CommandResult result)
    {
        CommandResult stored = result.Clone();
        if (Encoding.UTF8.GetByteCount(stored.Output) > StoredOutputBytes)
        {
            stored.Output = BoundedText.Truncate(stored.Output, StoredOutputBytes);
            stored.OutputTruncated = true;
        }

        return stored;
    }

    [LoggerMessage(EventId = 1320, Level = LogLevel.Warning,
        Message = "Command {CommandId} was running when the agent stopped; it is reported as failed with an unknown outcome and will not be run again.")]
    private static partial void LogInterrupted(ILogger logger, string commandId);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Error,
        Message = "The command journal file {File} is damaged ({Problem}); moved it to {Quarantined}. If that command has not expired, a copy of it could run once more.")]
    private static partial void LogCorrupt(ILogger logger, string file, string problem, string quarantined);

    [LoggerMessage(EventId = 1322, Level = LogLevel.Error,
        Message = "Could not write the journal record of command {CommandId} to {File}: {Problem}. Its result is still sent; after a restart the agent would not remember it. Check the state directory's disk and permissions.")]
    private static partial void LogWriteFailed(ILogger logger, string commandId, string file, string problem);

    [LoggerMessage(EventId = 1323, Level = LogLevel.Warning,
        Message = "Could not delete the expired journal record {File}: {Problem}. It is retried at the next prune.")]
    private static partial void LogDeleteFailed(ILogger logger, string file, string problem);

    private sealed class Entry(string commandId, string nonce, long expiresUnixMs, long acceptedUnixMs, CommandResult? result)
    {
        public string CommandId { get; } = commandId;

        public string Nonce { get; } = nonce;

        public long ExpiresUnixMs { get; } = expiresUnixMs;

        public long AcceptedUnixMs { get; } = acceptedUnixMs;

        public CommandResult? Result { get; set; } = result;
    }
}
