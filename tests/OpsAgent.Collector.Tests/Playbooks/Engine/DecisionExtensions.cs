using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Playbooks.Engine;

/// <summary>Picks decisions of one kind out of an engine answer.</summary>
internal static class DecisionExtensions
{
    public static T Single<T>(this IReadOnlyList<PlaybookDecision> decisions)
        where T : PlaybookDecision => Assert.Single(decisions.OfType<T>());

    public static Command SentCommand(this IReadOnlyList<PlaybookDecision> decisions) => decisions.Single<PlaybookDecision.SendCommand>().Command;

    public static IEnumerable<string> Kinds(this IReadOnlyList<PlaybookDecision> decisions) => decisions.Select(d => d.GetType().Name);
}
