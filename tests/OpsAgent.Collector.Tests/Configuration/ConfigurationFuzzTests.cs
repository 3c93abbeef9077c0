using Microsoft.AspNetCore.Builder;

namespace OpsAgent.Collector.Tests.Configuration;

/// <summary>
/// Mutated collector.json files through the exact start-up path (CollectorHost.Build, then every ValidateOnStart check
/// as Program runs them): each either starts or is refused with a configuration message, never a crash.
/// </summary>
public sealed class ConfigurationFuzzTests : IDisposable
{
    private const string Valid = """
        {
          "Collector": {
            "Endpoints": { "Gateway": "https://0.0.0.0:7400", "Admin": "https://127.0.0.1:7401", "Metrics": "http://127.0.0.1:7402" },
            "Tls": { "ExtraNames": [ "collector.example.com" ], "ServerCertificateLifetime": "365.00:00:00" },
            "Enrollment": { "CertificateLifetime": "30.00:00:00", "AttemptsPerMinute": 10 },
            "Access": { "FailedAuthenticationsPerMinute": 30 },
            "Ingest": { "MaxBatchBytes": 4194304, "StreamIdleTimeout": "00:02:00", "MaxSamplesPerSecondPerAgent": 50000 },
            "Storage": { "Retention": "15.00:00:00", "MaxSeriesPerAgent": 20000 }
          }
        }
        """;

    private static readonly string[] Fragments =
    [
        "\"", "{", "}", "[", "]", ":", ",", "-1", "0", "1e400", "\"abc\"", "null", "true", "\"00:00:00\"", "\"http://0.0.0.0:7400\"",
        "99999999999999999999", "\"https://collector.example.com:1\"", "\"\\u0000\"", "{\"Insecure\": true}",
    ];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "opsagent-config-fuzz-" + Guid.NewGuid().ToString("N")[..12]);

    public ConfigurationFuzzTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task StartupValidation_MutatedConfigFiles_StartOrConfigurationErrorOnly()
    {
        var random = new Random(20260302);
        string path = Path.Combine(_dir, "collector.json");
        int refused = 0;
        for (int i = 0; i < 150; i++)
        {
            string text = Mutate(Valid, random);
            await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
            try
            {
                await using WebApplication app = CollectorHost.Build(["--config", path, "--data-dir", _dir]);
                if (Program.ValidateConfiguration(app.Services) is not null)
                {
                    refused++;
                }
            }
            catch (Exception ex) when (Program.IsUnreadableConfiguration(ex))
            {
                refused++; // what Program reports as "cannot read its configuration" (exit 78)
            }
            catch (Exception ex)
            {
                Assert.Fail($"iteration {i}: {ex.GetType().Name}: {ex.Message}\n--- config ---\n{text}");
            }
        }

        Assert.InRange(refused, 30, 150); // the mutations do reach the checks
    }

    private static string Mutate(string text, Random random)
    {
        var chars = new List<char>(text);
        for (int m = random.Next(1, 4); m > 0; m--)
        {
            int at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0:
                    chars.RemoveAt(at);
                    break;
                case 1:
                    chars.InsertRange(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2:
                    chars[at] = (char)random.Next(32, 127);
                    break;
                default:
                    int colon = text.IndexOf(':', Math.Min(at, text.Length - 1));
                    int end = colon < 0 ? -1 : text.IndexOfAny([',', '}', '\n'], colon);
                    if (end > colon + 1 && end < chars.Count)
                    {
                        chars.RemoveRange(colon + 1, end - colon - 1);
                        chars.InsertRange(colon + 1, " " + Fragments[random.Next(Fragments.Length)]);
                    }

                    break;
            }
        }

        return new string([.. chars]);
    }
}
