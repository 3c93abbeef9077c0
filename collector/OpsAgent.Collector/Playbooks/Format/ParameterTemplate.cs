using System.Text;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// A step parameter that may reference the trigger: <c>"{{ labels.mountpoint }}/log"</c>. The only syntax is
/// <c>{{ variable }}</c> with a variable from <see cref="TemplateContext.Variables"/>: no expressions, filters or
/// code, so a template can only ever produce text, and the text is checked again by the parameter's rule after
/// rendering (a label cannot smuggle <c>..</c> into a path).
/// </summary>
internal sealed class ParameterTemplate
{
    private readonly (bool IsVariable, string Text)[] _parts;

    private ParameterTemplate(string text, (bool IsVariable, string Text)[] parts)
    {
        Text = text;
        _parts = parts;
    }

    public string Text { get; }

    /// <summary>True when the template references no variable, so it can be checked completely when the playbook is loaded.</summary>
    public bool IsLiteral => _parts.All(p => !p.IsVariable);

    public static ParameterTemplate Literal(string text) => new(text, [(false, text)]);

    public static bool TryParse(string text, out ParameterTemplate template, out string error)
    {
        var parts = new List<(bool, string)>();
        int i = 0;
        error = "";
        while (i < text.Length)
        {
            int open = text.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add((false, text[i..]));
                break;
            }

            if (open > i)
            {
                parts.Add((false, text[i..open]));
            }

            int close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{text}' opens '{{{{' without a closing '}}}}'; write {{{{ labels.NAME }}}} or another variable ({string.Join(", ", TemplateContext.Variables)}).";
                template = Literal(text);
                return false;
            }

            string variable = text[(open + 2)..close].Trim();
            if (!TemplateContext.IsKnown(variable))
            {
                error = $"'{{{{ {variable} }}}}' is not a variable a playbook can use; use one of {string.Join(", ", TemplateContext.Variables)}."
                    + Suggestions.DidYouMean(variable, TemplateContext.Variables.Where(v => v != "labels.NAME"));
                template = Literal(text);
                return false;
            }

            parts.Add((true, variable));
            i = close + 2;
        }

        template = new ParameterTemplate(text, [.. parts]);
        return true;
    }

    /// <summary>The text with every variable replaced; fails when the trigger lacks a referenced value.</summary>
    public bool TryRender(TemplateContext context, out string value, out string error)
    {
        var result = new StringBuilder(Text.Length);
        foreach ((bool isVariable, string text) in _parts)
        {
            if (!isVariable)
            {
                result.Append(text);
            }
            else if (context.TryGet(text, out string replacement))
            {
                result.Append(replacement);
            }
            else
            {
                value = "";
                error = text.StartsWith(TemplateContext.LabelPrefix, StringComparison.Ordinal)
                    ? $"the trigger has no label '{text[TemplateContext.LabelPrefix.Length..]}' for '{Text}'; match only signals that carry it (match.labels) or use a literal value."
                    : $"the trigger has no {text} for '{Text}'; use a literal value or match only triggers that carry it.";
                return false;
            }
        }

        value = result.ToString();
        error = "";
        return true;
    }

    public override string ToString() => Text;
}
