namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>
/// How bad a trigger is, on a three-step scale that playbooks match with <c>min_severity</c> and notifications carry
/// as the <c>severity</c> label. <see cref="SeverityScale"/> says how each kind of trigger maps onto it.
/// </summary>
internal enum TriggerSeverity
{
    /// <summary><c>info</c>: worth knowing, nothing is failing yet.</summary>
    Info = 0,

    /// <summary><c>warning</c>: something is wrong or will be soon.</summary>
    Warning = 1,

    /// <summary><c>critical</c>: users are or will shortly be affected.</summary>
    Critical = 2,
}
