using Microsoft.Extensions.Hosting;

namespace OpsAgent.Agent.Tests.Configuration;

/// <summary>
/// Mutated configuration files through the exact path the agent's start-up takes (AgentHost, then every ValidateOnStart
/// check as Program runs them): each either starts or is refused with a configuration message, never a crash with a
/// stack trace.
/// </summary>
public sealed class ConfigurationFuzzTests : IDisposable
{
    private const string Valid = """
        // comment
        {
          "Agent": {
            "CollectorUrl": "https://collector.example.com:7400",
            "AgentId": "web-01",
            "Labels": { "env": "prod", "role": "web" },
            "Metrics": { "IntervalSeconds": 10, "Host": { "PerCpu": true, "MaxFilesystems": 64 } },
            "Uplink": { "ReconnectMinDelay": "00:00:01", "HeartbeatInterval": "00:00:30", "MaxInFlightBatches": 32 },
            "Outbox": { "MaxMemoryBytes": 33554432 },
            "Enrollment": { "TokenFile": "/etc/opsagent/enrollment-token" }
          }
        }
        """;

    private static readonly string[] Fragments =
    [
        "\"", "{", "}", "[", "]", ":", ",", "-1", "0", "1e400", "\"abc\"", "null", "true", "\"00:00:00\"", "\"-00:00:01\"",
        "99999999999999999999", "\"http://10.0.0.1:7400\"", "\"oe_bad\"", "\"\\u0000\"", "{\"x\":[]}",
    ];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void StartupValidation_MutatedConfigFiles_StartOrConfigurationErrorOnly()
    {
        var random = new Random(20260301);
        string path = Path.Combine(_dir.Path, "agent.json");
        int refused = 0;
        for (int i = 0; i < 300; i++)
        {
            string text = Mutate(Valid, random);
            File.WriteAllText(path, text);
            try
            {
                using IHost host = AgentHost.CreateBuilder(["--config", path, "--state-dir", _dir.Path]).Build();
                if (Program.ValidateConfiguration(host.Services) is not null)
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

        Assert.InRange(refused, 50, 300); // the mutations do reach the checks
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
                    // Replace a whole value: the type confusions a person makes ("10s" where a number belongs).
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
