using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Core;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests.Security;

/// <summary>
/// Identity and access against the real collector, in secure mode, with real processes: every kind of bad caller is
/// refused with the right gRPC status and audited, while a good agent on the same collector keeps streaming.
/// </summary>
public sealed class SecurityTests(SecureFleet fleet) : IClassFixture<SecureFleet>
{
    private const string Connect = "/opsagent.v1.AgentGateway/Connect";
    private const string Enroll = "/opsagent.v1.AgentGateway/Enroll";

    private CollectorProcess Collector => fleet.Collector;

    private static CancellationToken Timeout(int seconds = 30)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts.Token;
    }

    private static Hello Hello(string agentId) => new() { AgentId = agentId, Hostname = "test-" + agentId, AgentVersion = "test" };

    /// <summary>Opens a stream as <paramref name="client"/>, sends Hello, and returns the status the stream ends with.</summary>
    private static async Task<RpcException> RefusedAsync(AgentGateway.AgentGatewayClient client, Hello hello)
    {
        using AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call = client.Connect(cancellationToken: Timeout());
        try
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello }, Timeout());
        }
        catch (RpcException)
        {
            // The collector may refuse the call before the client has finished writing.
        }

        return await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(Timeout()))
            {
            }
        });
    }

    [Fact]
    public async Task Connect_WithoutClientCertificate_UnauthenticatedAndAudited()
    {
        RpcException refused = await RefusedAsync(Collector.Gateway, Hello(SecureFleet.GoodAgentId));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("no client certificate", refused.Status.Detail, StringComparison.Ordinal);
        await fleet.AuditedAsync(Connect, "Unauthenticated", e => e.Detail.Contains("no client certificate", StringComparison.Ordinal));
        await fleet.GoodAgentStreamsAsync();
    }

    [Fact]
    public async Task Connect_HelloClaimsAnotherAgentsId_PermissionDeniedAndAudited()
    {
        using X509Certificate2 intruder = await TestIdentity.EnrollAsync(Collector, "intruder-1");

        RpcException refused = await RefusedAsync(Collector.GatewayWith(intruder), Hello(SecureFleet.GoodAgentId));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains($"Hello says agent_id '{SecureFleet.GoodAgentId}' but the client certificate belongs to agent 'intruder-1'", refused.Status.Detail, StringComparison.Ordinal);
        AuditEvent audited = await fleet.AuditedAsync(Connect, "PermissionDenied", e => e.ActorId == "intruder-1");
        Assert.Equal("agent", audited.ActorKind);
        await fleet.GoodAgentStreamsAsync();

        // Its own name works: the refusal was about the claim, not the certificate.
        using AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> honest = Collector.GatewayWith(intruder).Connect(cancellationToken: Timeout());
        await honest.RequestStream.WriteAsync(new AgentMessage { Hello = Hello("intruder-1") }, Timeout());
        Assert.True(await honest.ResponseStream.MoveNext(Timeout()));
        Assert.Equal("intruder-1", honest.ResponseStream.Current.Welcome.AgentId);
    }

    [Fact]
    public async Task Connect_ExpiredCertificate_UnauthenticatedAndAudited()
    {
        // Signed by the collector's real CA for the good agent's own id, but expired yesterday.
        using X509Certificate2 expired = TestIdentity.SignedByCollectorCa(
            Collector, SecureFleet.GoodAgentId, DateTimeOffset.UtcNow.AddDays(-3), DateTimeOffset.UtcNow.AddDays(-1));

        RpcException refused = await RefusedAsync(Collector.GatewayWith(expired), Hello(SecureFleet.GoodAgentId));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("the client certificate expired at", refused.Status.Detail, StringComparison.Ordinal);
        await fleet.AuditedAsync(Connect, "Unauthenticated", e => e.Detail.Contains("expired", StringComparison.Ordinal));
        await fleet.GoodAgentStreamsAsync();
    }

    [Fact]
    public async Task Connect_CertificateFromAnotherCaOrNeverIssued_Unauthenticated()
    {
        using X509Certificate2 foreign = TestIdentity.FromAnotherCa(SecureFleet.GoodAgentId);
        RpcException refusedForeign = await RefusedAsync(Collector.GatewayWith(foreign), Hello(SecureFleet.GoodAgentId));
        Assert.Equal(StatusCode.Unauthenticated, refusedForeign.StatusCode);
        Assert.Contains("was not issued by this collector's CA", refusedForeign.Status.Detail, StringComparison.Ordinal);

        // Signed with the real CA key (as if it had been stolen) but never issued through enrolment: the allowlist refuses it.
        using X509Certificate2 forged = TestIdentity.SignedByCollectorCa(
            Collector, SecureFleet.GoodAgentId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        RpcException refusedForged = await RefusedAsync(Collector.GatewayWith(forged), Hello(SecureFleet.GoodAgentId));
        Assert.Equal(StatusCode.Unauthenticated, refusedForged.StatusCode);
        Assert.Contains("is not one this collector issued at enrolment", refusedForged.Status.Detail, StringComparison.Ordinal);

        await fleet.AuditedAsync(Connect, "Unauthenticated", e => e.Detail.Contains("not one this collector issued", StringComparison.Ordinal));
        await fleet.GoodAgentStreamsAsync();
    }

    [Fact]
    public async Task Enroll_TokenUsedTwice_SecondUnauthenticatedAndAudited()
    {
        string token = await Collector.CreateEnrollmentTokenAsync();
        using X509Certificate2 first = await TestIdentity.EnrollAsync(Collector, "twice-1", token);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        RpcException refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await Collector.Gateway.EnrollAsync(TestIdentity.Request("twice-2", token, key), cancellationToken: Timeout()));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("was already used", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("by agent twice-1", refused.Status.Detail, StringComparison.Ordinal);
        await fleet.AuditedAsync(Enroll, "Unauthenticated", e => e.Detail.Contains("already used", StringComparison.Ordinal));
        await fleet.GoodAgentStreamsAsync();
    }

    [Fact]
    public async Task Enroll_IdOfAnActiveAgent_AlreadyExistsAndTokenNotUsedUp()
    {
        string token = await Collector.CreateEnrollmentTokenAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await Collector.Gateway.EnrollAsync(TestIdentity.Request(SecureFleet.GoodAgentId, token, key), cancellationToken: Timeout()));

        Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);
        Assert.Contains($"agent id {SecureFleet.GoodAgentId} is enrolled already", refused.Status.Detail, StringComparison.Ordinal);
        using X509Certificate2 stillUsable = await TestIdentity.EnrollAsync(Collector, "took-the-token", token);
        await fleet.GoodAgentStreamsAsync();
    }

    [Fact]
    public async Task Agent_TokenPinningAnotherCa_ExitsWithoutSendingTheToken()
    {
        string token = await Collector.CreateEnrollmentTokenAsync();
        string tokenId = token.Split('_')[1];
        string foreignPin = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string[] parts = token.Split('_');
        string pinnedElsewhere = string.Join('_', parts[0], parts[1], parts[2], foreignPin);

        await using ManagedProcess agent = AgentProcess.Start(
            Collector.GatewayUrl, fleet.Sub("mitm"), "mitm-victim",
            environment: new Dictionary<string, string> { ["OPSAGENT_Agent__Enrollment__Token"] = pinnedElsewhere });
        int exitCode = await agent.Exited.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(exitCode == 78, agent.ToString());
        Assert.Contains($"but the enrolment token {tokenId} expects sha256:{foreignPin}", agent.Output, StringComparison.Ordinal);
        Assert.Contains("The token was not sent", agent.Output, StringComparison.Ordinal);
        ListEnrollmentTokensResponse tokens = await Collector.Access.ListEnrollmentTokensAsync(new ListEnrollmentTokensRequest(), cancellationToken: Timeout());
        Assert.Contains(tokens.Tokens, t => t.TokenId == tokenId && t.UsedUnixMs == 0);
    }

    [Fact]
    public async Task RevokeAgent_ConnectedAgent_StreamClosedAtOnceReconnectAndRenewalRefusedAndAudited()
    {
        string stateDirectory = fleet.Sub("to-revoke");
        await using ManagedProcess agent = await AgentProcess.StartAsync(Collector, stateDirectory, "to-revoke");
        await Eventually.TrueAsync(
            async () => (await Collector.Admin.GetAgentAsync(new GetAgentRequest { AgentId = "to-revoke" }, cancellationToken: Timeout())).Connected,
            TimeSpan.FromSeconds(60), "the agent to connect", () => agent.ToString());

        OpsctlResult revoke = await Opsctl.RunAsync(Collector.OpsctlEnvironment(), "agents", "revoke", "to-revoke", "--reason", "stolen laptop", "-o", "json");

        Assert.True(revoke.ExitCode == 0, revoke.Output);
        JsonElement result = JsonDocument.Parse(revoke.StandardOutput).RootElement;
        Assert.True(result.GetProperty("disconnected").GetBoolean());
        Assert.Equal(1u, result.GetProperty("certificatesRevoked").GetUInt32());
        await agent.WaitForOutputAsync("was revoked by token:", TimeSpan.FromSeconds(30));
        await agent.WaitForOutputAsync("stolen laptop. It must enrol again", TimeSpan.FromSeconds(30));
        AgentInfo info = await Collector.Admin.GetAgentAsync(new GetAgentRequest { AgentId = "to-revoke" }, cancellationToken: Timeout());
        Assert.False(info.Connected);

        // Its certificate cannot renew itself either.
        string pem = await File.ReadAllTextAsync(Path.Combine(stateDirectory, "identity", "agent.pem"), TestContext.Current.CancellationToken);
        using X509Certificate2 stolen = X509Certificate2.CreateFromPem(pem, pem);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        RpcException renewal = await Assert.ThrowsAsync<RpcException>(async () => await Collector.GatewayWith(stolen).RenewCertificateAsync(
            new RenewCertificateRequest { CsrDer = TestIdentity.Request("to-revoke", "", key).CsrDer }, cancellationToken: Timeout()));
        Assert.Equal(StatusCode.Unauthenticated, renewal.StatusCode);

        await fleet.AuditedAsync("/opsagent.v1.Access/RevokeAgent", "ok", e => e.Detail.Contains("stolen laptop", StringComparison.Ordinal));
        await fleet.AuditedAsync(Connect, "Unauthenticated", e => e.ActorId == "to-revoke");
        await fleet.GoodAgentStreamsAsync();
    }

    [Fact]
    public async Task ViewerToken_CallsOperatorMethod_PermissionDeniedExitFourAndAudited()
    {
        CreateApiTokenResponse viewer = await Collector.Access.CreateApiTokenAsync(
            new CreateApiTokenRequest { Name = "read-only", Role = Role.Viewer }, cancellationToken: Timeout());
        var environment = new Dictionary<string, string>(Collector.OpsctlEnvironment()) { ["OPSAGENT_TOKEN"] = viewer.Secret };

        OpsctlResult read = await Opsctl.RunAsync(environment, "agents");
        OpsctlResult act = await Opsctl.RunAsync(environment, "agents", "revoke", SecureFleet.GoodAgentId);

        Assert.True(read.ExitCode == 0, read.Output);
        Assert.True(act.ExitCode == 4, act.Output);
        Assert.Contains("needs role operator; token " + viewer.Token.TokenId + " (read-only) has role viewer", act.Output, StringComparison.Ordinal);
        AuditEvent audited = await fleet.AuditedAsync("/opsagent.v1.Access/RevokeAgent", "PermissionDenied", e => e.ActorId == viewer.Token.TokenId);
        Assert.Equal("viewer", audited.Role);
        Assert.Equal("read-only", audited.ActorName);
        await fleet.AuditedAsync("/opsagent.v1.Admin/ListAgents", "ok", e => e.ActorId == viewer.Token.TokenId);
        await fleet.GoodAgentStreamsAsync();
    }

    [Fact]
    public async Task AdminApi_MissingWrongOrRevokedToken_UnauthenticatedAndAudited()
    {
        RpcException none = await Assert.ThrowsAsync<RpcException>(async () =>
            await Collector.AdminWith(null).ListAgentsAsync(new ListAgentsRequest(), cancellationToken: Timeout()));
        RpcException wrong = await Assert.ThrowsAsync<RpcException>(async () =>
            await Collector.AdminWith("oa_000000000000_00000000000000000000000000000000").ListAgentsAsync(new ListAgentsRequest(), cancellationToken: Timeout()));
        CreateApiTokenResponse shortLived = await Collector.Access.CreateApiTokenAsync(
            new CreateApiTokenRequest { Name = "leaver", Role = Role.Admin }, cancellationToken: Timeout());
        await Collector.Access.RevokeApiTokenAsync(new RevokeApiTokenRequest { TokenId = shortLived.Token.TokenId }, cancellationToken: Timeout());
        RpcException revoked = await Assert.ThrowsAsync<RpcException>(async () =>
            await Collector.AdminWith(shortLived.Secret).ListAgentsAsync(new ListAgentsRequest(), cancellationToken: Timeout()));

        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        Assert.Contains("this call needs an API token", none.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Contains("is not known to this collector", wrong.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, revoked.StatusCode);
        Assert.Contains($"the API token {shortLived.Token.TokenId} (leaver) was revoked", revoked.Status.Detail, StringComparison.Ordinal);
        await fleet.AuditedAsync("/opsagent.v1.Admin/ListAgents", "Unauthenticated", e => e.Detail.Contains("was revoked", StringComparison.Ordinal));

        // Reflection describes the API only to a token holder; health answers anyone (load balancers send no credentials).
        using var raw = new RawGrpc(Collector.AdminUrl);
        RawGrpcResult reflection = await raw.CallAsync(
            "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", new ByteArrayContent(RawGrpc.Frame([])), TimeSpan.FromSeconds(10));
        RawGrpcResult health = await raw.CallAsync(
            "/grpc.health.v1.Health/Check", new ByteArrayContent(RawGrpc.Frame([])), TimeSpan.FromSeconds(10));
        Assert.Equal((int)StatusCode.Unauthenticated, reflection.GrpcStatus);
        Assert.Equal((int)StatusCode.OK, health.GrpcStatus);
        await fleet.GoodAgentStreamsAsync();
    }

    [Fact]
    public async Task Connect_OversizedFrame_ResourceExhaustedAndAudited()
    {
        using X509Certificate2 big = await TestIdentity.EnrollAsync(Collector, "oversized-1");
        using AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call = Collector.GatewayWith(big).Connect(cancellationToken: Timeout());
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = Hello("oversized-1") }, Timeout());
        Assert.True(await call.ResponseStream.MoveNext(Timeout()));
        var batch = new TelemetryBatch { Sequence = 1 };
        batch.Metrics.Add(new MetricSeries { Name = "m", Unit = new string('x', 2 * 1024 * 1024) });
        try
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Batch = batch }, Timeout());
        }
        catch (RpcException)
        {
            // The collector may end the call while the client is still writing.
        }

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Timeout()));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        await fleet.AuditedAsync(Connect, "ResourceExhausted", e => e.ActorId == "oversized-1");
        await fleet.GoodAgentStreamsAsync();
    }

    [Fact]
    public async Task Connect_SlowClientHoldingStream_ClosedWithDeadlineExceededAndAudited()
    {
        using X509Certificate2 slow = await TestIdentity.EnrollAsync(Collector, "slowloris-1");
        using var raw = new RawGrpc(Collector.GatewayUrl, slow);

        // Hello, then the first 10 bytes of a message announced as 1000 bytes long, then nothing: the stream is held open.
        byte[] hello = RawGrpc.Frame(new AgentMessage { Hello = Hello("slowloris-1") });
        byte[] partial = RawGrpc.Frame(new byte[10], declaredLength: 1000);
        var started = DateTimeOffset.UtcNow;
        RawGrpcResult result = await raw.CallAsync(Connect, new StallingContent([.. hello, .. partial], TimeSpan.FromMinutes(5)), TimeSpan.FromSeconds(60));

        // Collector:Ingest:StreamIdleTimeout is 4 s here: the collector, not the test's 60 s limit, ended it.
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(30), $"the stream was held for {DateTimeOffset.UtcNow - started}: {result}\n{Collector.Process}");
        Assert.True(result.GrpcStatus is null or (int)StatusCode.DeadlineExceeded, $"status {result.GrpcStatus}: {result.GrpcMessage} {result.Failure}");
        AuditEvent audited = await fleet.AuditedAsync(Connect, "DeadlineExceeded", e => e.ActorId == "slowloris-1");
        Assert.Contains("Collector:Ingest:StreamIdleTimeout", audited.Detail, StringComparison.Ordinal);
        await fleet.GoodAgentStreamsAsync();
    }

    [Fact]
    public async Task RenewCertificate_ValidCertificate_NewCertificateForTheSameAgentAndAudited()
    {
        using X509Certificate2 current = await TestIdentity.EnrollAsync(Collector, "renewer-1");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        EnrollResponse renewed = await Collector.GatewayWith(current).RenewCertificateAsync(
            new RenewCertificateRequest { CsrDer = TestIdentity.Request("someone-else", "", key).CsrDer }, cancellationToken: Timeout());

        using X509Certificate2 next = X509Certificate2.CreateFromPem(renewed.CertificatePem);
        Assert.Equal("renewer-1", renewed.AgentId);
        Assert.Equal("renewer-1", next.GetNameInfo(X509NameType.SimpleName, false));
        Assert.NotEqual(current.SerialNumber, next.SerialNumber);
        Assert.True(next.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()));
        await fleet.AuditedAsync("/opsagent.v1.AgentGateway/RenewCertificate", "ok", e => e.ActorId == "renewer-1");
    }

    [Fact]
    public async Task BootstrapAdmin_RunAgainstARunningCollector_NewAdminCredentialWorksAtOnce()
    {
        string config = Path.Combine(fleet.Sub("bootstrap"), "collector.json");
        await File.WriteAllTextAsync(config, "{}", TestContext.Current.CancellationToken);
        await using ManagedProcess command = ManagedProcess.Start(
            "bootstrap-admin",
            Binaries.Collector,
            [
                "bootstrap-admin", "--config", config, "--data-dir", Collector.DataDirectory,
                "--gateway", Collector.GatewayUrl, "--admin", Collector.AdminUrl, "--metrics", Collector.MetricsUrl,
            ]);
        int exitCode = await command.Exited.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(exitCode == 0, command.ToString());
        Assert.Contains("Wrote a new admin API credential to", command.StandardOutput, StringComparison.Ordinal);

        string adminFile = Path.Combine(Collector.DataDirectory, "admin.json");
        OpsctlResult whoami = await Opsctl.RunAsync(new Dictionary<string, string> { ["OPSCTL_CONFIG"] = adminFile }, "whoami", "-o", "json");

        Assert.True(whoami.ExitCode == 0, whoami.Output);
        JsonElement me = JsonDocument.Parse(whoami.StandardOutput).RootElement;
        Assert.Equal("bootstrap", me.GetProperty("name").GetString());
        Assert.Equal("admin", me.GetProperty("role").GetString());
        Assert.NotEqual(Collector.AdminToken!.Split('_')[1], me.GetProperty("tokenId").GetString());
    }

    [Fact]
    public async Task Opsctl_TokenLifecycleAndAudit_AsAnAdminWouldUseThem()
    {
        Dictionary<string, string> admin = Collector.OpsctlEnvironment();

        OpsctlResult created = await Opsctl.RunAsync(admin, "api-tokens", "create", "ci-deploy", "--role", "operator", "--expires", "1h", "-o", "json");
        Assert.True(created.ExitCode == 0, created.Output);
        JsonElement token = JsonDocument.Parse(created.StandardOutput).RootElement;
        string tokenId = token.GetProperty("details").GetProperty("tokenId").GetString()!;
        Assert.StartsWith("oa_" + tokenId + "_", token.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal("operator", token.GetProperty("details").GetProperty("role").GetString());

        OpsctlResult asOperator = await Opsctl.RunAsync(
            new Dictionary<string, string>(admin) { ["OPSAGENT_TOKEN"] = token.GetProperty("token").GetString()! }, "whoami");
        Assert.True(asOperator.ExitCode == 0, asOperator.Output);
        Assert.Contains($"token {tokenId} (ci-deploy), role operator", asOperator.StandardOutput, StringComparison.Ordinal);

        OpsctlResult revoked = await Opsctl.RunAsync(admin, "api-tokens", "revoke", tokenId);
        OpsctlResult list = await Opsctl.RunAsync(admin, "api-tokens", "list", "--all", "-o", "json");
        Assert.True(revoked.ExitCode == 0, revoked.Output);
        JsonElement listed = JsonDocument.Parse(list.StandardOutput).RootElement.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("tokenId").GetString() == tokenId);
        Assert.Equal("revoked", listed.GetProperty("state").GetString());

        OpsctlResult enrolment = await Opsctl.RunAsync(admin, "tokens", "create", "--expires", "5m", "--labels", "env=prod,role=web", "--description", "new web host");
        Assert.True(enrolment.ExitCode == 0, enrolment.Output);
        Assert.Matches("^oe_[0-9a-f]{12}_[0-9a-f]{32}_[0-9a-f]{64}$", enrolment.StandardOutput.Trim());
        OpsctlResult enrolmentTokens = await Opsctl.RunAsync(admin, "tokens", "list", "-o", "json");
        JsonElement pending = JsonDocument.Parse(enrolmentTokens.StandardOutput).RootElement.GetProperty("tokens").EnumerateArray()
            .Single(t => t.GetProperty("description").GetString() == "new web host");
        Assert.Equal("active", pending.GetProperty("state").GetString());
        Assert.Equal("web", pending.GetProperty("labels").GetProperty("role").GetString());

        OpsctlResult audit = await Opsctl.RunAsync(admin, "audit", "--since", "10m", "--limit", "500", "-o", "json");
        Assert.True(audit.ExitCode == 0, audit.Output);
        JsonElement[] events = [.. JsonDocument.Parse(audit.StandardOutput).RootElement.GetProperty("events").EnumerateArray()];
        Assert.Contains(events, e => e.GetProperty("method").GetString() == "/opsagent.v1.Access/RevokeApiToken"
            && e.GetProperty("outcome").GetString() == "ok" && e.GetProperty("actorName").GetString() == "bootstrap");
        Assert.Contains(events, e => e.GetProperty("method").GetString() == "/opsagent.v1.Access/WhoAmI" && e.GetProperty("actorId").GetString() == tokenId);
    }
}
