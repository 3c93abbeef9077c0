namespace OpsAgent.Collector.Detection;

/// <summary>The detector-side state of one open anomaly of one series (metric or exhaustion), saved with its detector.</summary>
internal sealed class OpenAnomaly
{
    public AnomalyKind Kind { get; init; }

    public AlertSeverity Severity { get; set; }

    public long StartedMs { get; init; }

    public long RaisedMs { get; init; }

    public long LastAnomalousMs { get; set; }

    /// <summary>Sample time of the last signal sent to the tracker.</summary>
    public long ReportedMs { get; set; }

    public double PeakScore { get; set; }

    public double Value { get; init; }

    public double UsualLow { get; init; } = double.NaN;

    public double UsualHigh { get; init; } = double.NaN;

    /// <summary>Sample time at which scores calmed down (the alert state machine cleared); 0 while they are high.</summary>
    public long CalmSinceMs { get; set; }

    public ForecastSnapshot? Forecast { get; set; }

    public AnomalyRecord ToRecord(SeriesIdentity series, long atMs, bool open, Resolution resolution) => new(
        AnomalyId: 0,
        IncidentId: 0,
        Kind,
        Severity,
        open,
        series,
        StartedMs,
        RaisedMs,
        LastAnomalousMs,
        UpdatedUnixMs: atMs,
        ResolvedUnixMs: open ? 0 : atMs,
        resolution,
        PeakScore,
        Value,
        UsualLow,
        UsualHigh,
        Forecast);

    public void Write(BinaryWriter writer)
    {
        writer.Write((int)Kind);
        writer.Write((int)Severity);
        writer.Write(StartedMs);
        writer.Write(RaisedMs);
        writer.Write(LastAnomalousMs);
        writer.Write(ReportedMs);
        writer.Write(PeakScore);
        writer.Write(Value);
        writer.Write(UsualLow);
        writer.Write(UsualHigh);
        writer.Write(CalmSinceMs);
        writer.Write(Forecast is not null);
        if (Forecast is { } f)
        {
            writer.Write(f.Level);
            writer.Write(f.RatePerHour);
            writer.Write(f.TimeToExhaustionMs);
            writer.Write(f.EarliestMs);
            writer.Write(f.LatestMs);
            writer.Write(f.Confidence);
            writer.Write(f.AsOfUnixMs);
        }
    }

    public static OpenAnomaly Read(BinaryReader reader)
    {
        var kind = (AnomalyKind)reader.ReadInt32();
        var severity = (AlertSeverity)reader.ReadInt32();
        if (!Enum.IsDefined(kind) || !Enum.IsDefined(severity))
        {
            throw new InvalidDataException("The saved anomaly has an unknown kind or severity; discard the state and let the detector relearn.");
        }

        var anomaly = new OpenAnomaly
        {
            Kind = kind,
            Severity = severity,
            StartedMs = reader.ReadInt64(),
            RaisedMs = reader.ReadInt64(),
            LastAnomalousMs = reader.ReadInt64(),
            ReportedMs = reader.ReadInt64(),
            PeakScore = reader.ReadDouble(),
            Value = reader.ReadDouble(),
            UsualLow = reader.ReadDouble(),
            UsualHigh = reader.ReadDouble(),
            CalmSinceMs = reader.ReadInt64(),
        };
        if (reader.ReadBoolean())
        {
            anomaly.Forecast = new ForecastSnapshot(
                reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadDouble(), reader.ReadInt64());
        }

        return anomaly;
    }
}
