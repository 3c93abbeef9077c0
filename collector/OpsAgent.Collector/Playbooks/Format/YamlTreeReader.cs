using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// Reads one YAML document into a <see cref="YamlTreeNode"/> tree from YamlDotNet's event parser. Anchors, aliases
/// and tags are refused: a playbook is short enough to write out, and refusing them rules out alias bombs (a few
/// lines that expand to millions of nodes) and any type-directed behaviour. Size, depth and node count are bounded.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>Largest playbook file accepted, in characters. Real playbooks are a few hundred bytes.</summary>
    public const int MaxLength = 64 * 1024;

    private const int MaxDepth = 16;
    private const int MaxNodes = 4096;

    /// <summary>Returns the document's root, or null with at least one problem added.</summary>
    public static YamlTreeNode? Read(string text, List<PlaybookProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            problems.Add(new PlaybookProblem(SourcePosition.Start, "", $"the file has {text.Length} characters; a playbook may have at most {MaxLength}. Split it into several playbooks."));
            return null;
        }

        var parser = new Parser(new StringReader(text));
        var state = new ReadState(parser, problems);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                problems.Add(new PlaybookProblem(SourcePosition.Start, "", "the file is empty; a playbook needs at least name, match and actions."));
                return null;
            }

            parser.Consume<DocumentStart>();
            YamlTreeNode? root = state.ReadNode(0);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out DocumentStart? second))
            {
                problems.Add(new PlaybookProblem(Position(second.Start), "", "the file holds more than one YAML document ('---'); put one playbook in each file."));
                return null;
            }

            return state.Failed ? null : root;
        }
        catch (YamlException ex)
        {
            problems.Add(new PlaybookProblem(Position(ex.Start), "", $"this is not valid YAML: {Clean(ex.Message)}. Check the indentation and quoting on this line and the one before."));
            return null;
        }
    }

    internal static SourcePosition Position(Mark mark) =>
        new((int)Math.Clamp(mark.Line, 1, int.MaxValue), (int)Math.Clamp(mark.Column, 1, int.MaxValue));

    private static string Clean(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the position is already in the problem.
        int marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        string text = marker >= 0 ? message[(marker + 3)..] : message;
        return text.TrimEnd('.', ' ');
    }

    private sealed class ReadState(IParser parser, List<PlaybookProblem> problems)
    {
        private int _nodes;

        public bool Failed { get; private set; }

        public YamlTreeNode? ReadNode(int depth)
        {
            ParsingEvent current = parser.Current ?? throw new YamlException("unexpected end of the file");
            SourcePosition position = Position(current.Start);
            if (++_nodes > MaxNodes)
            {
                Fail(position, $"the file has more than {MaxNodes} values; a playbook is much smaller than that. Split it.");
                SkipNode();
                return null;
            }

            if (depth > MaxDepth)
            {
                Fail(position, $"values are nested more than {MaxDepth} levels deep; no playbook key needs that.");
                SkipNode();
                return null;
            }

            if (current is AnchorAlias alias)
            {
                parser.MoveNext();
                Fail(position, $"aliases (*{alias.Value}) are not supported in playbooks; write the value out in full.");
                return null;
            }

            if (current is NodeEvent node)
            {
                if (!node.Anchor.IsEmpty)
                {
                    Fail(position, $"anchors (&{node.Anchor}) are not supported in playbooks; write each value out in full.");
                }

                if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific)
                {
                    Fail(position, $"tags ({node.Tag}) are not supported in playbooks; remove the tag and write a plain value.");
                }
            }

            switch (current)
            {
                case Scalar scalar:
                    parser.MoveNext();
                    return new YamlTreeScalar(position, scalar.Value, scalar.Style is not ScalarStyle.Plain);

                case SequenceStart:
                    parser.MoveNext();
                    return ReadSequence(position, depth);

                case MappingStart:
                    parser.MoveNext();
                    return ReadMapping(position, depth);

                default:
                    throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
            }
        }

        private YamlTreeSequence ReadSequence(SourcePosition position, int depth)
        {
            var items = new List<YamlTreeNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                if (ReadNode(depth + 1) is { } item)
                {
                    items.Add(item);
                }
            }

            return new YamlTreeSequence(position, items);
        }

        private YamlTreeMapping ReadMapping(SourcePosition position, int depth)
        {
            var entries = new List<KeyValuePair<YamlTreeScalar, YamlTreeNode>>();
            var seen = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                YamlTreeNode? key = ReadNode(depth + 1);
                YamlTreeNode? value = ReadNode(depth + 1);
                if (key is not YamlTreeScalar scalarKey)
                {
                    if (key is not null)
                    {
                        Fail(key.Position, "a key must be a plain word such as 'name' or 'cooldown', not a list or mapping.");
                    }

                    continue;
                }

                if (seen.TryGetValue(scalarKey.Value, out SourcePosition first))
                {
                    Fail(scalarKey.Position, $"the key '{scalarKey.Value}' appears twice in this mapping (first at {first}); keep one.");
                    continue;
                }

                seen[scalarKey.Value] = scalarKey.Position;
                entries.Add(new(scalarKey, value ?? new YamlTreeScalar(scalarKey.Position, "", quoted: false)));
            }

            return new YamlTreeMapping(position, entries);
        }

        private void SkipNode()
        {
            int level = 0;
            do
            {
                ParsingEvent e = parser.Current!;
                level += e.NestingIncrease;
                parser.MoveNext();
            }
            while (level > 0);
        }

        private void Fail(SourcePosition position, string message)
        {
            Failed = true;
            problems.Add(new PlaybookProblem(position, "", message));
        }
    }
}
