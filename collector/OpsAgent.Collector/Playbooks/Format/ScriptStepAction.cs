using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary><c>run_script</c>: a script of the agent's scripts directory and its arguments (argv, never a shell).</summary>
internal sealed record ScriptStepAction(ParameterTemplate Name, IReadOnlyList<ParameterTemplate> Args) : StepAction
{
    public override string Kind => "run_script";

    public override bool TryRender(TemplateContext context, Command command, out string description, out string error)
    {
        error = "";
        description = Kind;
        if (!TryValue(Name, "name", ParameterRules.ScriptName, context, out string name, ref error))
        {
            return false;
        }

        var action = new RunScript { Name = name };
        for (int i = 0; i < Args.Count; i++)
        {
            if (!TryValue(Args[i], $"args[{i}]", ParameterRules.Argument, context, out string arg, ref error))
            {
                return false;
            }

            action.Args.Add(arg);
        }

        command.Script = action;
        description = action.Args.Count == 0 ? $"{Kind} {name}" : $"{Kind} {name} {string.Join(' ', action.Args)}";
        return true;
    }
}
