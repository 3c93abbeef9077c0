using OpsAgent.Collector.Configuration;
using OpsAgent.Collector.Endpoints;

namespace OpsAgent.Collector.Tests.Configuration;

public sealed class CollectorOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new CollectorOptionsValidator().Validate(null, new CollectorOptions()).Succeeded);
    }

    [Fact]
    public void Validate_HostnameInsteadOfIp_NamesKeyAndExplains()
    {
        var options = new CollectorOptions();
        options.Endpoints.Gateway = "http://collector.example.com:7400";

        string failure = Assert.Single(new CollectorOptionsValidator().Validate(null, options).Failures!);

        Assert.Contains("Collector:Endpoints:Gateway", failure, StringComparison.Ordinal);
        Assert.Contains("not an IP address", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SamePortTwice_Fails()
    {
        var options = new CollectorOptions();
        options.Endpoints.Admin = "https://127.0.0.1:7400";

        string failure = Assert.Single(new CollectorOptionsValidator().Validate(null, options).Failures!);

        Assert.Contains("both use port 7400", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PlainHttpWithoutInsecureMode_NamesKeyAndBothFixes()
    {
        var options = new CollectorOptions();
        options.Endpoints.Gateway = "http://0.0.0.0:7400";

        string failure = Assert.Single(new CollectorOptionsValidator().Validate(null, options).Failures!);

        Assert.StartsWith("Collector:Endpoints:Gateway 'http://0.0.0.0:7400' has no TLS. Use https://", failure, StringComparison.Ordinal);
        Assert.Contains("Collector:Insecure=true with a 127.0.0.1 address", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:7400", "http://127.0.0.1:7401", "Collector:Endpoints:Gateway")]
    [InlineData("http://127.0.0.1:7400", "http://10.1.2.3:7401", "Collector:Endpoints:Admin")]
    [InlineData("https://[::]:7400", "http://127.0.0.1:7401", "Collector:Endpoints:Gateway")]
    public void Validate_InsecureModeOffLoopback_RefusedNamingTheKey(string gateway, string admin, string key)
    {
        var options = new CollectorOptions { Insecure = true };
        options.Endpoints.Gateway = gateway;
        options.Endpoints.Admin = admin;

        string failure = Assert.Single(new CollectorOptionsValidator().Validate(null, options).Failures!);

        Assert.StartsWith("Collector:Insecure=true turns off TLS, agent certificates and API tokens, so it is refused for " + key, failure, StringComparison.Ordinal);
        Assert.Contains("which is not a loopback address", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InsecureModeOnLoopbackAndMetricsAnywhere_Succeed()
    {
        var options = new CollectorOptions { Insecure = true };
        options.Endpoints.Gateway = "http://127.0.0.1:7400";
        options.Endpoints.Admin = "http://[::1]:7401";
        options.Endpoints.Metrics = "http://0.0.0.0:7402";

        Assert.True(new CollectorOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0", false, 0)]
    [InlineData("https://[::]:7400", true, 7400)]
    [InlineData("http://localhost:7401", false, 7401)]
    public void TryParse_Forms_ParsesSchemeAndPort(string url, bool tls, int port)
    {
        Assert.True(ListenAddress.TryParse(url, out ListenAddress? address, out _));
        Assert.Equal(tls, address.Tls);
        Assert.Equal(port, address.Port);
    }
}
