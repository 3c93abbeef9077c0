using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests.Security;

/// <summary>
/// Random and mutated protobuf frames, by hand over HTTP/2, to every method of the real collector's gateway and admin
/// API, with and without credentials (seeded, bounded). The collector must answer each with a status (no hang, no
/// unhandled failure), keep serving a good agent, and lose nothing it had already accepted.
/// </summary>
public sealed class ProtocolFuzzTests : IAsyncLifetime
{
    private const int Iterations = 300;
    private const int Seed = 4_2026;

    private readonly TempDirectory _dir = new();
    private CollectorProcess _collector = null!;
    private ManagedProcess _goodAgent = null!;

    public async ValueTask InitializeAsync()
    {
        _collector = await CollectorProcess.StartAsync(_dir.Sub("collector"), secure: true, extraArgs: ["--Collector:Ingest:StreamIdleTimeout=00:00:03"]);
        _goodAgent = await AgentProcess.StartAsync(_collector, _dir.Sub("good"), "good-agent");
    }

    public async ValueTask DisposeAsync()
    {
        await _goodAgent.DisposeAsync();
        await _collector.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Fuzz_MutatedFramesToEveryMethod_EachAnsweredCollectorServesAndKeepsAcceptedData()
    {
        string diagnostics() => _collector.Process + "\n" + _goodAgent;
        long before = await GoodAgentSampleAfterAsync(0, diagnostics);
        long window = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        int acceptedBefore = await UptimeSamplesAsync(before - 300_000, window);

        using X509Certificate2 fuzzer = await TestIdentity.EnrollAsync(_collector, "fuzzer-1");
        using var authenticated = new RawGrpc(_collector.GatewayUrl, fuzzer);
        using var anonymousGateway = new RawGrpc(_collector.GatewayUrl);
        using var admin = new RawGrpc(_collector.AdminUrl);
        (string Path, bool Gateway, byte[] Seed, bool Destructive)[] methods = Methods();
        var random = new Random(Seed);
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Iterations; i++)
        {
            (string path, bool gateway, byte[] seed, bool destructive) = methods[random.Next(methods.Length)];
            bool withCredentials = !destructive && random.Next(4) != 0;
            byte[] body = Body(path, seed, random);
            RawGrpc client = gateway ? (withCredentials ? authenticated : anonymousGateway) : admin;
            RawGrpcResult result = await client.CallAsync(path, new ByteArrayContent(body), TimeSpan.FromSeconds(20), withCredentials && !gateway ? _collector.AdminToken : null);

            string outcome = result.GrpcStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "reset";
            statuses[outcome] = statuses.GetValueOrDefault(outcome) + 1;
            Assert.False(result.Failure is OperationCanceledException, $"iteration {i}: {path} got no answer within 20 s\n{diagnostics()}");
            Assert.False(result.GrpcStatus == 2, $"iteration {i}: {path} failed with an unhandled error (Unknown): {result.GrpcMessage}\n{diagnostics()}");
            Assert.False(_collector.Process!.HasExited, $"iteration {i}: the collector exited\n{diagnostics()}");
        }

        TestContext.Current.TestOutputHelper?.WriteLine("grpc-status counts: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}")));
        Assert.True(statuses.Keys.Count(k => k != "reset") >= 4, "the mutations reach several answers, not one refusal");

        // The good agent still streams, and everything stored before the fuzzing is still there.
        await GoodAgentSampleAfterAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), diagnostics);
        Assert.Equal(acceptedBefore, await UptimeSamplesAsync(before - 300_000, window));
        Assert.DoesNotContain("Unhandled exception", _collector.Process!.Output, StringComparison.Ordinal);
    }

    private async Task<long> GoodAgentSampleAfterAsync(long after, Func<string> diagnostics)
    {
        long newest = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                QueryMetricsResponse r = await _collector.Admin.QueryMetricsAsync(Uptime(after - 300_000, 0), deadline: DateTime.UtcNow.AddSeconds(10));
                newest = r.Series.Where(s => s.TimestampsUnixMs.Count > 0).Select(s => s.TimestampsUnixMs[^1]).DefaultIfEmpty(0).Max();
                return newest > after;
            },
            TimeSpan.FromSeconds(60),
            "a sample from the good agent",
            diagnostics);
        return newest;
    }

    private async Task<int> UptimeSamplesAsync(long start, long end)
    {
        QueryMetricsResponse r = await _collector.Admin.QueryMetricsAsync(Uptime(start, end), deadline: DateTime.UtcNow.AddSeconds(10));
        return r.Series.Sum(s => s.Values.Count);
    }

    private static QueryMetricsRequest Uptime(long start, long end)
    {
        var query = new QueryMetricsRequest { Name = "system.uptime", StartUnixMs = start, EndUnixMs = end };
        query.Matchers.Add(new LabelMatcher { Key = "agent_id", Value = "good-agent" });
        return query;
    }

    /// <summary>Every method with a valid request to mutate; destructive ones are only ever sent without credentials.</summary>
    private static (string Path, bool Gateway, byte[] Seed, bool Destructive)[] Methods()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var batch = new TelemetryBatch { Sequence = 1 };
        var series = new MetricSeries { Name = "fuzz.metric", Kind = MetricKind.Gauge, Unit = "1" };
        series.Labels.Add(new Label { Key = "k", Value = "v" });
        series.TimestampsUnixMs.Add([now, now + 1000]);
        series.Values.Add([1.5, 2.5]);
        batch.Metrics.Add(series);
        var query = new QueryMetricsRequest { Name = "system.cpu.utilization", StepMs = 1000 };
        query.Matchers.Add(new LabelMatcher { Key = "host", Op = MatchOp.Regex, Value = "h.*" });
        var list = new ListSeriesRequest { NamePrefix = "system.", Limit = 10 };
        list.Matchers.Add(new LabelMatcher { Key = "agent_id", Op = MatchOp.NotEqual, Value = "x" });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        EnrollRequest enroll = TestIdentity.Request("fuzz-enrol", "oe_000000000000_00000000000000000000000000000000_" + new string('0', 64), key);
        var enrollToken = new CreateEnrollmentTokenRequest { TtlSeconds = 60, Description = "fuzz" };
        enrollToken.Labels.Add("env", "fuzz");
        return
        [
            ("/opsagent.v1.AgentGateway/Connect", true, (new AgentMessage { Batch = batch }).ToByteArray(), false),
            ("/opsagent.v1.AgentGateway/Enroll", true, enroll.ToByteArray(), false),
            ("/opsagent.v1.AgentGateway/RenewCertificate", true, (new RenewCertificateRequest { CsrDer = enroll.CsrDer }).ToByteArray(), false),
            ("/opsagent.v1.AgentGateway/GetCaCertificate", true, (new GetCaCertificateRequest()).ToByteArray(), false),
            ("/opsagent.v1.AgentGateway/FetchArtifact", true, (new FetchArtifactRequest { Digest = "sha256:00", Offset = 5 }).ToByteArray(), false),
            ("/opsagent.v1.Admin/ListAgents", false, (new ListAgentsRequest { ConnectedOnly = true }).ToByteArray(), false),
            ("/opsagent.v1.Admin/GetAgent", false, (new GetAgentRequest { AgentId = "good-agent" }).ToByteArray(), false),
            ("/opsagent.v1.Admin/ListSeries", false, list.ToByteArray(), false),
            ("/opsagent.v1.Admin/QueryMetrics", false, query.ToByteArray(), false),
            ("/opsagent.v1.Admin/GetStoreStats", false, (new GetStoreStatsRequest()).ToByteArray(), false),
            ("/opsagent.v1.Access/WhoAmI", false, (new WhoAmIRequest()).ToByteArray(), false),
            ("/opsagent.v1.Access/CreateApiToken", false, (new CreateApiTokenRequest { Name = "fuzz", Role = Role.Viewer, TtlSeconds = 60 }).ToByteArray(), false),
            ("/opsagent.v1.Access/ListApiTokens", false, (new ListApiTokensRequest { IncludeInactive = true }).ToByteArray(), false),
            ("/opsagent.v1.Access/CreateEnrollmentToken", false, enrollToken.ToByteArray(), false),
            ("/opsagent.v1.Access/ListEnrollmentTokens", false, (new ListEnrollmentTokensRequest()).ToByteArray(), false),
            ("/opsagent.v1.Access/RevokeEnrollmentToken", false, (new RevokeEnrollmentTokenRequest { TokenId = "000000000000" }).ToByteArray(), false),
            ("/opsagent.v1.Access/ListAuditEvents", false, (new ListAuditEventsRequest { Limit = 5 }).ToByteArray(), false),
            ("/opsagent.v1.Access/RevokeAgent", false, (new RevokeAgentRequest { AgentId = "good-agent" }).ToByteArray(), true),
            ("/opsagent.v1.Access/RevokeApiToken", false, (new RevokeApiTokenRequest { TokenId = "000000000000" }).ToByteArray(), true),
            // ServerReflectionRequest { list_services = "" } and HealthCheckRequest { service = "" }, written out: the test does not link those packages.
            ("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", false, [0x3A, 0x00], false),
            ("/grpc.health.v1.Health/Check", false, [0x0A, 0x00], false),
            ("/opsagent.v1.NoSuchService/Nothing", false, (new GetStoreStatsRequest()).ToByteArray(), false),
        ];
    }

    /// <summary>A request body: the seed, mutated, in one or more frames that may lie about their length or compression.</summary>
    private static byte[] Body(string path, byte[] seed, Random random)
    {
        var frames = new List<byte>();
        if (path.EndsWith("/Connect", StringComparison.Ordinal) && random.Next(3) != 0)
        {
            // Usually a valid Hello first, so that the mutated batches reach validation and the store.
            frames.AddRange(RawGrpc.Frame(new AgentMessage { Hello = new Hello { AgentId = "fuzzer-1", Hostname = "fuzz", AgentVersion = "fuzz" } }));
        }

        for (int n = random.Next(1, 4); n > 0; n--)
        {
            byte[] payload = Mutate(seed, random);
            frames.AddRange(random.Next(10) switch
            {
                0 => RawGrpc.Frame(payload, declaredLength: (uint)payload.Length + (uint)random.Next(1, 100)),
                1 => RawGrpc.Frame(payload, declaredLength: 0x7FFF_FFFF),
                2 => RawGrpc.Frame(payload, compressed: true),
                3 => RawGrpc.Frame(payload)[..random.Next(1, 5)],
                _ => RawGrpc.Frame(payload),
            });
        }

        return [.. frames];
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        for (int m = random.Next(0, 5); m > 0; m--)
        {
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    int bit = random.Next(bytes.Count * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
                case 2:
                    bytes.InsertRange(random.Next(bytes.Count + 1), RandomNumberGenerator.GetBytes(random.Next(1, 16)));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(random.Next(bytes.Count), 0);
                    bytes = bytes.GetRange(0, random.Next(bytes.Count));
                    break;
                case 4:
                    bytes.AddRange(valid); // a repeated field set twice, a message merged with itself
                    break;
                default:
                    // A varint that never ends, or a length-delimited field claiming more than there is.
                    bytes.InsertRange(random.Next(bytes.Count + 1), (byte[])[0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
                    break;
            }
        }

        return random.Next(20) == 0 ? RandomNumberGenerator.GetBytes(random.Next(0, 512)) : [.. bytes];
    }
}
