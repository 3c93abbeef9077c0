using OpsAgent.Protocol;

namespace OpsAgent.Cli.Playbooks;

/// <summary>One problem in a playbook's text: where and what to write instead.</summary>
internal sealed record PlaybookProblemJson(uint Line, uint Column, string Path, string Message)
{
    public static PlaybookProblemJson From(PlaybookProblemInfo p) => new(p.Line, p.Column, p.Path, p.Message);

    /// <summary>"line:column: path: message", as compilers print problems (editors jump to it).</summary>
    public static string Format(PlaybookProblemInfo p) =>
        p.Path.Length == 0 ? $"{p.Line}:{p.Column}: {p.Message}" : $"{p.Line}:{p.Column}: {p.Path}: {p.Message}";
}
