using System.Text.Json.Serialization;

namespace OpsAgent.Agent.Commands;

/// <summary>Source-generated JSON for journal records (no reflection: the agent may be trimmed or AOT compiled).</summary>
[JsonSerializable(typeof(JournalRecord))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
