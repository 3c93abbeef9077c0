namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// One thing wrong with a playbook: where (line, column and the key path an admin can search for), what, and how to
/// fix it. The parser reports every problem it finds in one pass, so one round of edits fixes a file.
/// </summary>
/// <param name="Position">Line and column in the YAML text.</param>
/// <param name="Path">Key path such as <c>guards.cooldown</c> or <c>actions[2].cleanup_files.directory</c>; empty for the whole file.</param>
/// <param name="Message">What is wrong and what to write instead.</param>
internal sealed record PlaybookProblem(SourcePosition Position, string Path, string Message)
{
    public int Line => Position.Line;

    public int Column => Position.Column;

    public override string ToString() =>
        Path.Length == 0 ? $"{Line}:{Column}: {Message}" : $"{Line}:{Column}: {Path}: {Message}";
}
