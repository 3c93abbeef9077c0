using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Playbooks.Format;

namespace OpsAgent.Collector.Playbooks.Catalog;

/// <summary>
/// The playbooks in force, read from a directory (one playbook per *.yaml / *.yml file; files starting with '.' are
/// ignored) and managed as text for the Admin API: <see cref="Apply"/> writes a file atomically, <see cref="Remove"/>
/// deletes it, <see cref="Reload"/> re-reads the directory (the watcher calls it periodically, so hand edits count too).
/// </summary>
/// <remarks>
/// An invalid file is reported and skipped and every other file loads. A file that was valid and is then broken by an
/// edit keeps its last valid version in force until it is fixed, so a typo made while editing does not silently switch
/// off a playbook that was protecting the fleet. Readers get immutable snapshots; writers are serialised by a lock.
/// </remarks>
internal sealed partial class PlaybookStore : IPlaybookCatalog
{
    private readonly PlaybookCounters _counters;
    private readonly ILogger<PlaybookStore> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _reportedInvalid = new(StringComparer.Ordinal);
    private volatile Snapshot _snapshot = new([], []);
    private bool _loaded;

    public PlaybookStore(IOptions<PlaybookOptions> options, PlaybookCounters counters, ILogger<PlaybookStore> logger)
    {
        Directory = Path.GetFullPath(options.Value.Directory);
        _counters = counters;
        _logger = logger;
    }

    public string Directory { get; }

    /// <inheritdoc />
    public IReadOnlyList<Playbook> Playbooks => _snapshot.Playbooks;

    /// <summary>Loaded playbooks with their files, ordered by name.</summary>
    public IReadOnlyList<PlaybookEntry> Entries => _snapshot.Entries;

    /// <summary>Files that could not be loaded at the last reload or apply.</summary>
    public IReadOnlyList<PlaybookFileProblem> InvalidFiles => _snapshot.Invalid;

    public PlaybookEntry? Find(string name) => _snapshot.Entries.FirstOrDefault(e => string.Equals(e.Playbook.Name, name, StringComparison.Ordinal));

    /// <summary>Checks a playbook's text without applying it (<c>opsctl playbooks validate</c>).</summary>
    public static PlaybookParseResult Validate(string text) => PlaybookParser.Parse(text);

    /// <summary>Loads the directory unless it was loaded already (start-up: whichever of watcher and runner comes first).</summary>
    public void EnsureLoaded()
    {
        lock (_lock)
        {
            if (!_loaded)
            {
                Reload();
            }
        }
    }

    /// <summary>Reads the directory again and puts what it holds in force.</summary>
    public PlaybookLoadReport Reload()
    {
        lock (_lock)
        {
            _loaded = true;
            Snapshot previous = _snapshot;
            Dictionary<string, PlaybookEntry> previousByFile = previous.Entries.ToDictionary(e => e.File, StringComparer.Ordinal);
            var loaded = new List<PlaybookEntry>();
            var invalid = new List<PlaybookFileProblem>();
            var owner = new Dictionary<string, string>(StringComparer.Ordinal);
            if (ListFiles() is not { } files)
            {
                // Keep what is in force: a directory that cannot be read for a moment must not cancel every active run.
                return new PlaybookLoadReport(previous.Entries, previous.Invalid, [], [], []);
            }

            foreach (string file in files)
            {
                PlaybookParseResult result = ReadFile(file);
                if (result.Playbook is { } playbook)
                {
                    if (owner.TryGetValue(playbook.Name, out string? other))
                    {
                        invalid.Add(new PlaybookFileProblem(file, [new PlaybookProblem(SourcePosition.Start, "name",
                            $"playbook '{playbook.Name}' is already defined in {other}; give one of them another name or delete one file.")], KeptPrevious: false));
                        continue;
                    }

                    owner[playbook.Name] = file;
                    loaded.Add(new PlaybookEntry(playbook, file));
                    continue;
                }

                bool keep = previousByFile.TryGetValue(file, out PlaybookEntry? last) && owner.TryAdd(last.Playbook.Name, file);
                if (keep)
                {
                    loaded.Add(last!);
                }

                invalid.Add(new PlaybookFileProblem(file, result.Problems, keep));
            }

            return Publish(previous, loaded, invalid);
        }
    }

    /// <summary>
    /// Puts a playbook given as YAML text in force: a new one gets the file <c>NAME.yaml</c>, an existing one has its
    /// file replaced. The file is written to a temporary name, flushed to disk and renamed over the target, so a crash
    /// leaves the old or the new file, never half of one. Throws <see cref="IOException"/> when the directory is not writable.
    /// </summary>
    public PlaybookApplyResult Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        PlaybookParseResult parsed = PlaybookParser.Parse(text);
        if (parsed.Playbook is not { } playbook)
        {
            return new PlaybookApplyResult(PlaybookApplyOutcome.Invalid, null, null, parsed.Problems);
        }

        lock (_lock)
        {
            EnsureLoaded(); // the target file depends on which file already holds this name
            Snapshot previous = _snapshot;
            PlaybookEntry? existing = previous.Entries.FirstOrDefault(e => e.Playbook.Name == playbook.Name);
            if (existing is not null && string.Equals(existing.Playbook.Source, text, StringComparison.Ordinal))
            {
                return new PlaybookApplyResult(PlaybookApplyOutcome.Unchanged, existing.Playbook, existing.File, []);
            }

            string file = existing?.File ?? Path.Combine(Directory, playbook.Name + ".yaml");
            if (existing is null && previous.Entries.FirstOrDefault(e => e.File == file) is { } occupant)
            {
                return new PlaybookApplyResult(PlaybookApplyOutcome.Invalid, null, null, [new PlaybookProblem(SourcePosition.Start, "name",
                    $"the file {file} already holds playbook '{occupant.Playbook.Name}'; rename that file or this playbook.")]);
            }

            WriteAtomically(file, text);
            var entries = previous.Entries.Where(e => e.File != file).Append(new PlaybookEntry(playbook, file)).ToList();
            var invalid = previous.Invalid.Where(p => p.File != file).ToList();
            _reportedInvalid.Remove(file);
            Publish(previous, entries, invalid);
            return new PlaybookApplyResult(existing is null ? PlaybookApplyOutcome.Created : PlaybookApplyOutcome.Replaced, playbook, file, []);
        }
    }

    /// <summary>Deletes a playbook's file; false when no playbook has that name.</summary>
    public bool Remove(string name)
    {
        lock (_lock)
        {
            EnsureLoaded();
            Snapshot previous = _snapshot;
            if (previous.Entries.FirstOrDefault(e => e.Playbook.Name == name) is not { } entry)
            {
                return false;
            }

            try
            {
                File.Delete(entry.File);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"Could not delete playbook file {entry.File}: {ex.Message} Check that the collector's user can write {Directory}.", ex);
            }

            Publish(previous, [.. previous.Entries.Where(e => e != entry)], [.. previous.Invalid.Where(p => p.File != entry.File)]);
            return true;
        }
    }

    private PlaybookLoadReport Publish(Snapshot previous, List<PlaybookEntry> entries, List<PlaybookFileProblem> invalid)
    {
        entries.Sort((a, b) => string.CompareOrdinal(a.Playbook.Name, b.Playbook.Name));
        var next = new Snapshot(entries, invalid);
        Dictionary<string, Playbook> before = previous.Playbooks.ToDictionary(p => p.Name, StringComparer.Ordinal);
        Dictionary<string, Playbook> after = next.Playbooks.ToDictionary(p => p.Name, StringComparer.Ordinal);
        string[] added = [.. after.Keys.Where(k => !before.ContainsKey(k))];
        string[] changed = [.. after.Where(p => before.TryGetValue(p.Key, out Playbook? old) && old.Source != p.Value.Source).Select(p => p.Key)];
        string[] removed = [.. before.Keys.Where(k => !after.ContainsKey(k))];
        _snapshot = next;
        _counters.SetCatalog(entries.Count, invalid.Count);

        foreach (PlaybookEntry entry in entries.Where(e => added.Contains(e.Playbook.Name) || changed.Contains(e.Playbook.Name)))
        {
            LogLoaded(_logger, entry.Playbook.Name, entry.File, added.Contains(entry.Playbook.Name) ? "added" : "changed", entry.Playbook.Enabled, entry.Playbook.Steps.Count);
        }

        foreach (string name in removed)
        {
            LogRemoved(_logger, name);
        }

        foreach (string file in _reportedInvalid.Keys.Where(f => invalid.All(p => p.File != f)).ToList())
        {
            _reportedInvalid.Remove(file);
        }

        foreach (PlaybookFileProblem problem in invalid)
        {
            // Reported once per distinct content, not at every rescan.
            string summary = string.Join(" | ", problem.Problems);
            if (!_reportedInvalid.TryGetValue(problem.File, out string? reported) || reported != summary)
            {
                _reportedInvalid[problem.File] = summary;
                if (problem.KeptPrevious)
                {
                    LogInvalidKept(_logger, problem.File, summary);
                }
                else
                {
                    LogInvalid(_logger, problem.File, summary);
                }
            }
        }

        return new PlaybookLoadReport(entries, invalid, added, changed, removed);
    }

    /// <summary>The playbook files, or null when the directory cannot be read (logged).</summary>
    private List<string>? ListFiles()
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            return
            [
                .. System.IO.Directory.EnumerateFiles(Directory)
                    .Where(f => !Path.GetFileName(f).StartsWith('.')
                        && (f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
                    .Order(StringComparer.Ordinal),
            ];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogDirectoryUnreadable(_logger, Directory, ex.Message);
            return null;
        }
    }

    private static PlaybookParseResult ReadFile(string file)
    {
        try
        {
            var info = new FileInfo(file);
            if (info.Length > YamlTreeReader.MaxLength * 4L)
            {
                return new PlaybookParseResult(null, [new PlaybookProblem(SourcePosition.Start, "",
                    $"the file is {info.Length} bytes; a playbook may have at most {YamlTreeReader.MaxLength} characters. Split it into several playbooks.")]);
            }

            return PlaybookParser.Parse(File.ReadAllText(file, Encoding.UTF8));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new PlaybookParseResult(null, [new PlaybookProblem(SourcePosition.Start, "",
                $"the file cannot be read ({ex.Message}); check that the collector's user may read it.")]);
        }
    }

    private void WriteAtomically(string file, string text)
    {
        string temporary = Path.Combine(Directory, $".{Path.GetFileName(file)}.{RandomNumberGenerator.GetHexString(8, lowercase: true)}.tmp");
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new IOException($"Could not write playbook file {file}: {ex.Message} Check that the collector's user can write {Directory}.", ex);
        }
    }

    private void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogTemporaryLeft(_logger, file, ex.Message);
        }
    }

    private sealed class Snapshot(IReadOnlyList<PlaybookEntry> entries, IReadOnlyList<PlaybookFileProblem> invalid)
    {
        public IReadOnlyList<PlaybookEntry> Entries { get; } = entries;

        public IReadOnlyList<PlaybookFileProblem> Invalid { get; } = invalid;

        public IReadOnlyList<Playbook> Playbooks { get; } = [.. entries.Select(e => e.Playbook)];
    }
}
