extern alias Cli;

using Cli::OpsAgent.Cli.Connection;
using Cli::OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli.Tests.Connection;

public sealed class ConnectionSettingsResolverTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    // A real CA certificate (PEM) made by the test: the resolver parses what it is given.
    private static readonly string CaPem = CreateCaPem();

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "opsctl-config-" + Guid.NewGuid().ToString("N")[..12]);

    public ConnectionSettingsResolverTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static ConnectionSettings Resolve(string? collector, Func<string, string?> env, string? token = null, string? ca = null, string? config = null) =>
        ConnectionSettingsResolver.Resolve(new ConnectionOptions(collector, token, ca, config), Timeout, env);

    private string WriteConfig(string json, string name = "opsctl.json")
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    private static string Json(string collector, string token) =>
        $$"""{ "collector": "{{collector}}", "token": "{{token}}", "caCertificate": {{System.Text.Json.JsonSerializer.Serialize(CaPem)}} }""";

    [Fact]
    public void Resolve_NothingSet_UsesLoopbackTlsDefault()
    {
        var settings = Resolve(null, Env());

        Assert.Equal("https://127.0.0.1:7401", settings.DisplayUrl);
        Assert.Equal("default", settings.CollectorSource);
        Assert.Null(settings.Token);
        Assert.Null(settings.CaCertificatePem);
        Assert.Equal(Timeout, settings.Timeout);
    }

    [Fact]
    public void Resolve_Environment_WinsOverDefault()
    {
        var settings = Resolve(null, Env(("OPSAGENT_COLLECTOR", "https://collector.example:7401")));

        Assert.Equal("https://collector.example:7401", settings.DisplayUrl);
        Assert.Equal("OPSAGENT_COLLECTOR", settings.CollectorSource);
    }

    [Fact]
    public void Resolve_Option_WinsOverEnvironment()
    {
        var settings = Resolve("http://127.0.0.2:9000/", Env(("OPSAGENT_COLLECTOR", "https://collector.example:7401")));

        Assert.Equal("http://127.0.0.2:9000", settings.DisplayUrl);
        Assert.Equal("--collector", settings.CollectorSource);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7401")]
    [InlineData("http://localhost:7401")]
    [InlineData("http://[::1]:7401")]
    [InlineData("https://collector.example:7401")]
    public void Resolve_TokenOverLoopbackOrTls_IsSent(string collector)
    {
        var settings = Resolve(collector, Env(("OPSAGENT_TOKEN", " s3cret ")));

        Assert.Equal("s3cret", settings.Token);
        Assert.Equal("OPSAGENT_TOKEN", settings.TokenSource);
    }

    [Fact]
    public void Resolve_TokenOption_WinsOverEnvironment()
    {
        var settings = Resolve("https://collector.example:7401", Env(("OPSAGENT_TOKEN", "from-env")), token: "from-option");

        Assert.Equal("from-option", settings.Token);
        Assert.Equal("--token", settings.TokenSource);
    }

    [Fact]
    public void Resolve_TokenOverPlainHttpElsewhere_IsRefused()
    {
        var error = Assert.Throws<CliException>(() => Resolve("http://collector.example:7401", Env(("OPSAGENT_TOKEN", "s3cret"))));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("in clear text to http://collector.example:7401", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:7401", "for example https://127.0.0.1:7401.")]
    [InlineData("grpc://127.0.0.1:7401", "for example https://127.0.0.1:7401.")]
    [InlineData("http://", "for example https://127.0.0.1:7401.")]
    public void Resolve_NotAnHttpUrl_SuggestsOne(string collector, string suggestion)
    {
        var error = Assert.Throws<CliException>(() => Resolve(collector, Env()));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.StartsWith($"--collector '{collector}' is not a collector URL.", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(suggestion, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ConfigFileFromEnvironment_GivesCollectorTokenAndCa()
    {
        string path = WriteConfig(Json("https://collector.example:7401", "oa_from_file"));

        var settings = Resolve(null, Env(("OPSCTL_CONFIG", path)));

        Assert.Equal("https://collector.example:7401", settings.DisplayUrl);
        Assert.Equal("config file " + path, settings.CollectorSource);
        Assert.Equal("oa_from_file", settings.Token);
        Assert.Equal(CaPem, settings.CaCertificatePem);
        Assert.Empty(settings.Warnings);
    }

    [Fact]
    public void Resolve_DefaultConfigLocation_IsReadUnderXdgConfigHome()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "opsagent"));
        WriteConfig(Json("https://collector.example:7401", "oa_default"), Path.Combine("opsagent", "opsctl.json"));

        var settings = Resolve(null, Env(("XDG_CONFIG_HOME", _dir)));

        Assert.Equal("oa_default", settings.Token);
    }

    [Fact]
    public void Resolve_ConfigTokenForAnotherCollector_IsNotSentAndWarned()
    {
        string path = WriteConfig(Json("https://collector.example:7401", "oa_from_file"));

        var settings = Resolve("https://other.example:7401", Env(("OPSCTL_CONFIG", path)));

        Assert.Null(settings.Token);
        Assert.Null(settings.CaCertificatePem);
        Assert.Contains(settings.Warnings, w => w.Contains("is for https://collector.example:7401", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_ConfigReadableByOthers_Warns()
    {
        string path = WriteConfig(Json("https://collector.example:7401", "oa_from_file"));
        if (OperatingSystem.IsWindows())
        {
            return; // file modes are a Unix notion
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var settings = Resolve(null, Env(("OPSCTL_CONFIG", path)));

        Assert.Contains(settings.Warnings, w => w.Contains("chmod 600 " + path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{ \"colector\": \"https://x:1\" }", "unknown key 'colector'")]
    [InlineData("{ \"token\": 42 }", "'token' in the opsctl configuration file")]
    [InlineData("[ 1, 2 ]", "must hold a JSON object")]
    [InlineData("{ \"token\": ", "is not valid JSON")]
    [InlineData("{ \"caCertificate\": \"not a pem\" }", "holds no PEM certificate")]
    public void Resolve_BadConfigFile_UsageErrorNamingFileAndProblem(string json, string expected)
    {
        string path = WriteConfig(json);

        var error = Assert.Throws<CliException>(() => Resolve(null, Env(), config: path));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MissingExplicitConfigFile_UsageError()
    {
        string missing = Path.Combine(_dir, "nope.json");

        var error = Assert.Throws<CliException>(() => Resolve(null, Env(), config: missing));

        Assert.Equal($"the opsctl configuration file {missing} (from --config) does not exist.", error.Message);
    }

    [Fact]
    public void Resolve_CaFileOption_IsReadAndUnreadableOneIsAUsageError()
    {
        string ca = Path.Combine(_dir, "ca.crt");
        File.WriteAllText(ca, CaPem);

        Assert.Equal(CaPem, Resolve("https://collector.example:7401", Env(), ca: ca).CaCertificatePem);
        var error = Assert.Throws<CliException>(() => Resolve("https://collector.example:7401", Env(), ca: ca + ".missing"));
        Assert.Contains("cannot read the CA certificate file", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Mutated configuration files: each either parses or is a usage error naming the file, never anything else.</summary>
    [Fact]
    public void Resolve_MutatedConfigFiles_ParseOrUsageErrorOnly()
    {
        string valid = Json("https://collector.example:7401", "oa_0123456789ab_0123456789abcdef0123456789abcdef");
        var random = new Random(4242);
        for (int i = 0; i < 300; i++)
        {
            char[] text = valid.ToCharArray();
            for (int m = random.Next(1, 6); m > 0; m--)
            {
                int at = random.Next(text.Length);
                text[at] = (char)random.Next(0, 128);
            }

            string path = WriteConfig(new string(text)[..random.Next(text.Length / 2, text.Length + 1)]);
            try
            {
                _ = Resolve(null, Env(), config: path);
            }
            catch (CliException ex)
            {
                Assert.Equal(ExitCodes.Usage, ex.ExitCode);
                Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            }
        }
    }

    private static string CreateCaPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}
