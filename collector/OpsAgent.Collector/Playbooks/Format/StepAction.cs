using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// What one playbook step does, mapped 1:1 onto an action of <c>Command</c> in protos/opsagent/v1/commands.proto.
/// Parameters are templates until <see cref="TryRender"/> fills them from the trigger.
/// </summary>
internal abstract record StepAction
{
    /// <summary>The YAML key of the action (<c>restart_service</c>, <c>cleanup_files</c>, ...).</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// False for actions that only gather information (<c>collect_diagnostics</c>): the engine does not wait for the
    /// signal to recover after them and goes straight on to the next step.
    /// </summary>
    public virtual bool IsFixAttempt => true;

    /// <summary>
    /// Fills the action of <paramref name="command"/> from the trigger. Returns false with <paramref name="error"/> when a
    /// referenced value is missing or the rendered value breaks its rule; <paramref name="description"/> is a short
    /// human form of the action ("restart_service nginx").
    /// </summary>
    public abstract bool TryRender(TemplateContext context, Command command, out string description, out string error);

    /// <summary>Renders one template and checks the result with its rule.</summary>
    protected static bool TryValue(ParameterTemplate template, string field, Func<string, string?> rule, TemplateContext context, out string value, ref string error)
    {
        if (!template.TryRender(context, out value, out string renderError))
        {
            error = $"{field}: {renderError}";
            return false;
        }

        if (rule(value) is { } problem)
        {
            error = template.IsLiteral ? $"{field} {problem}" : $"{field} '{template.Text}' became '{value}', which {problem}";
            return false;
        }

        return true;
    }
}
