using Google.Protobuf.Reflection;
using OpsAgent.Collector.Access;

namespace OpsAgent.Collector.Tests.Access;

public sealed class MethodAccessTests
{
    /// <summary>
    /// Every method of every service the collector maps has a line in the access table. A branch that adds a method
    /// without one fails here (and at run time the method is refused, deny by default).
    /// </summary>
    [Fact]
    public void Table_EveryServedMethod_IsListed()
    {
        ServiceDescriptor[] services =
        [
            Protocol.AgentGateway.Descriptor, Protocol.Admin.Descriptor, Protocol.Access.Descriptor,
            Grpc.Health.V1.Health.Descriptor, Grpc.Reflection.V1Alpha.ServerReflection.Descriptor, Grpc.Reflection.V1.ServerReflection.Descriptor,
        ];

        string[] missing = [.. services.SelectMany(s => s.Methods).Select(m => $"/{m.Service.FullName}/{m.Name}").Where(m => MethodAccess.Find(m) is null)];

        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("/opsagent.v1.Admin/ListAgents", "Viewer")]
    [InlineData("/opsagent.v1.Admin/GetAgent", "Viewer")]
    [InlineData("/opsagent.v1.Admin/ListSeries", "Viewer")]
    [InlineData("/opsagent.v1.Admin/QueryMetrics", "Viewer")]
    [InlineData("/opsagent.v1.Admin/GetStoreStats", "Viewer")]
    [InlineData("/opsagent.v1.Admin/ListCommands", "Viewer")]
    [InlineData("/opsagent.v1.Admin/GetCommand", "Viewer")]
    [InlineData("/opsagent.v1.Admin/ListPlaybooks", "Viewer")]
    [InlineData("/opsagent.v1.Admin/ValidatePlaybook", "Viewer")]
    [InlineData("/opsagent.v1.Admin/ExecCommand", "Operator")]
    [InlineData("/opsagent.v1.Admin/ApproveCommand", "Operator")]
    [InlineData("/opsagent.v1.Admin/DenyCommand", "Operator")]
    [InlineData("/opsagent.v1.Admin/ApplyPlaybook", "Admin")]
    [InlineData("/opsagent.v1.Admin/DeletePlaybook", "Admin")]
    [InlineData("/opsagent.v1.Access/RevokeAgent", "Operator")]
    [InlineData("/opsagent.v1.Access/CreateApiToken", "Admin")]
    [InlineData("/opsagent.v1.Access/CreateEnrollmentToken", "Admin")]
    [InlineData("/opsagent.v1.Access/ListAuditEvents", "Admin")]
    [InlineData("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", "Viewer")]
    [InlineData("/grpc.health.v1.Health/Check", "Anonymous")]
    [InlineData("/opsagent.v1.AgentGateway/Connect", "Agent")]
    [InlineData("/opsagent.v1.AgentGateway/Enroll", "EnrollmentToken")]
    public void Find_CurrentMethods_HaveTheirRole(string method, string requirement)
    {
        Assert.Equal(requirement, MethodAccess.Find(method)?.ToString());
    }

    [Theory]
    [InlineData("/opsagent.v1.Admin/DropEverything")]
    [InlineData("/opsagent.v1.Admin/listagents")]
    [InlineData("")]
    public void Find_UnlistedMethod_NullSoRefused(string method)
    {
        Assert.Null(MethodAccess.Find(method));
    }
}
