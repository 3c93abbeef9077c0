using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary><c>restart_service</c>, <c>stop_service</c> or <c>start_service</c> with <c>service</c>.</summary>
internal sealed record ServiceStepAction(ServiceAction.Types.Operation Operation, ParameterTemplate Service) : StepAction
{
    public override string Kind => Operation switch
    {
        ServiceAction.Types.Operation.Stop => "stop_service",
        ServiceAction.Types.Operation.Start => "start_service",
        _ => "restart_service",
    };

    public override bool TryRender(TemplateContext context, Command command, out string description, out string error)
    {
        error = "";
        description = Kind;
        if (!TryValue(Service, "service", ParameterRules.ServiceName, context, out string service, ref error))
        {
            return false;
        }

        command.Service = new ServiceAction { Operation = Operation, Service = service };
        description = $"{Kind} {service}";
        return true;
    }
}
