using Microsoft.Win32.SafeHandles;

namespace OpsAgent.Agent.Outbox;

/// <summary>Start-up: reading back the acknowledgements and checking every segment left by the previous run.</summary>
internal sealed partial class DiskOutbox
{
    private const string SalvageSuffix = ".salvage";

    private delegate void RecordVisitor(ulong sequence, ReadOnlySpan<byte> record);

    private void Recover()
    {
        string? ackProblem;
        try
        {
            ackProblem = _acks.Read(_lanes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ackProblem = ex.Message;
        }

        if (ackProblem is not null)
        {
            LogAcksIgnored(_logger, _acks.Path, ackProblem);
        }

        if (File.Exists(_acks.TemporaryPath))
        {
            TryDelete(_acks.TemporaryPath);
        }

        FinishInterruptedSalvage();

        foreach (string path in Directory.EnumerateFileSystemEntries(_directory).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (name is AckFileName or QuarantineDirectoryName || path == _acks.TemporaryPath)
            {
                continue;
            }

            if (!SegmentFormat.TryParseFileName(name, out OutboxLane lane, out ulong nameSequence))
            {
                LogUnknownFile(_logger, path);
                continue;
            }

            if (Check(path, lane, nameSequence) is { } segment)
            {
                _lanes[(int)lane].Segments.Add(segment);
            }
        }

        ulong highest = 0;
        foreach (LaneState lane in _lanes)
        {
            highest = Math.Max(highest, lane.Floor);
            lane.Segments.Sort((a, b) => a.NameSequence.CompareTo(b.NameSequence));
            foreach (SegmentFile segment in lane.Segments.ToList())
            {
                highest = Math.Max(highest, segment.LastSequence);
                _diskBytes += segment.Size;
                if (segment.Unacked == 0)
                {
                    // Every batch in it was acknowledged before the restart.
                    RemoveSegment(lane, segment);
                }
            }

            if (lane.Segments.Count > 0)
            {
                lane.CursorSegment = lane.Segments[0];
                lane.CursorOffset = SegmentFormat.HeaderSize;
            }
        }

        _sequences.EnsureAbove(highest);

        // A lowered Agent:Outbox:MaxDiskBytes applies at once.
        MakeRoom(0, OutboxLane.Control);

        int batches = _lanes.Sum(l => l.Segments.Sum(s => s.Unacked));
        if (batches > 0)
        {
            LogRecovered(_logger, _directory, batches, _diskBytes, _lanes.Sum(l => l.Segments.Count));
        }
    }

    /// <summary>Finishes or undoes a salvage that a crash interrupted (see <see cref="Salvage"/> for the order of steps).</summary>
    private void FinishInterruptedSalvage()
    {
        foreach (string salvage in Directory.EnumerateFiles(_directory, "*" + SegmentFormat.Extension + SalvageSuffix))
        {
            string original = salvage[..^SalvageSuffix.Length];
            try
            {
                if (File.Exists(original))
                {
                    // The original is still in place: the copy may be incomplete; the check below starts over.
                    File.Delete(salvage);
                }
                else
                {
                    // The original went to quarantine only after the copy was complete and synced.
                    File.Move(salvage, original);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogDeleteFailed(_logger, salvage, ex.Message);
            }
        }
    }

    /// <summary>Checks one segment left by an earlier run; returns it, or null when nothing in it is usable.</summary>
    private SegmentFile? Check(string path, OutboxLane lane, ulong nameSequence)
    {
        var segment = new SegmentFile(lane, path, nameSequence) { Sealed = true };
        LaneState state = _lanes[(int)lane];
        string? problem;
        int regions;
        long damagedBytes;
        try
        {
            using SegmentScanner scanner = SegmentScanner.Open(path);
            long length = scanner.Length;
            problem = scanner.ReadHeader(out OutboxLane headerLane);
            if (problem is null && headerLane != lane)
            {
                problem = $"its header says lane {OutboxLaneNames.Name(headerLane)} but its name says {OutboxLaneNames.Name(lane)}";
            }

            if (problem is null)
            {
                problem = ScanRecords(scanner, length, (sequence, _) => segment.AddRecord(sequence, state.IsAcked(sequence)), out regions, out damagedBytes);
                segment.Size = length;
            }
            else
            {
                regions = -1;
                damagedBytes = length;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Quarantine(path, $"it cannot be read ({ex.Message})");
            return null;
        }

        if (regions < 0)
        {
            Quarantine(path, problem!);
            return null;
        }

        if (regions == 0)
        {
            if (segment.Records == 0)
            {
                // A header and nothing else: the agent stopped between creating the file and writing its first batch.
                TryDelete(path);
                return null;
            }

            return segment;
        }

        return Salvage(path, lane, nameSequence, problem!, regions, damagedBytes);
    }

    /// <summary>
    /// Copies the intact records of a damaged segment into a new file and moves the damaged one to quarantine. Order of
    /// steps, for <see cref="FinishInterruptedSalvage"/>: write and fsync NAME.salvage, move NAME to quarantine, rename
    /// NAME.salvage to NAME.
    /// </summary>
    private SegmentFile? Salvage(string path, OutboxLane lane, ulong nameSequence, string problem, int regions, long damagedBytes)
    {
        string salvagePath = path + SalvageSuffix;
        var segment = new SegmentFile(lane, path, nameSequence) { Sealed = true };
        LaneState state = _lanes[(int)lane];
        _damagedRecords += regions;
        try
        {
            if (File.Exists(salvagePath))
            {
                File.Delete(salvagePath);
            }

            using (SafeFileHandle output = File.OpenHandle(salvagePath, FileMode.CreateNew, FileAccess.Write))
            using (SegmentScanner scanner = SegmentScanner.Open(path))
            {
                Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
                SegmentFormat.WriteHeader(header, lane);
                RandomAccess.Write(output, header, 0);
                long position = SegmentFormat.HeaderSize;
                ScanRecords(scanner, scanner.Length, (sequence, record) =>
                {
                    RandomAccess.Write(output, record, position);
                    position += record.Length;
                    segment.AddRecord(sequence, state.IsAcked(sequence));
                }, out _, out _);
                segment.Size = position;
                RandomAccess.FlushToDisk(output);
            }

            string target = _quarantine.Move(path);
            _quarantinedFiles++;
            LogSalvaged(_logger, Path.GetFileName(path), problem, regions, damagedBytes, segment.Records, target);
            if (segment.Records == 0)
            {
                TryDelete(salvagePath);
                return null;
            }

            File.Move(salvagePath, path);
            _directoryChanged = true;
            return segment;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(path))
            {
                TryDelete(salvagePath);
                Quarantine(path, $"{problem}, and its intact batches could not be copied out ({ex.Message})");
            }
            else if (File.Exists(salvagePath))
            {
                File.Move(salvagePath, path);
                return segment;
            }

            return null;
        }
    }

    /// <summary>
    /// Visits every intact record in order, stepping over damaged bytes to the next intact record. Returns the first
    /// problem met (null if none), the number of damaged regions and their bytes.
    /// </summary>
    private static string? ScanRecords(SegmentScanner scanner, long length, RecordVisitor visit, out int regions, out long damagedBytes)
    {
        string? firstProblem = null;
        regions = 0;
        damagedBytes = 0;
        long offset = SegmentFormat.HeaderSize;
        ulong previous = 0;
        while (true)
        {
            RecordStatus status = scanner.TryRead(offset, length, out ulong sequence);
            if (status == RecordStatus.End)
            {
                return firstProblem;
            }

            if (status == RecordStatus.Intact && sequence > previous)
            {
                visit(sequence, scanner.Record);
                previous = sequence;
                offset += scanner.Record.Length;
                continue;
            }

            firstProblem ??= status == RecordStatus.Intact ? "a record's sequence number is not above the one before it" : scanner.Problem;
            regions++;
            long next = scanner.Resync(offset + 1, length);
            damagedBytes += (next < 0 ? length : next) - offset;
            if (next < 0)
            {
                return firstProblem;
            }

            offset = next;
        }
    }

    private void Quarantine(string path, string problem)
    {
        _quarantinedFiles++;
        try
        {
            string target = _quarantine.Move(path);
            LogQuarantined(_logger, Path.GetFileName(path), problem, target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogQuarantineFailed(_logger, path, problem, ex.Message);
        }
    }
}
