using System.Text.Json;
using OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli.Connection;

/// <summary>
/// opsctl's configuration file: where the collector is, the API token to send, and the CA to trust.
/// <code>
/// { "collector": "https://collector.example.com:7401", "token": "oa_…", "caCertificate": "-----BEGIN CERTIFICATE-----…" }
/// </code>
/// (or <c>"caFile": "/path/ca.crt"</c>). The collector writes one for its first admin (DATA_DIR/admin.json). Found at
/// <c>--config</c>, else <c>OPSCTL_CONFIG</c>, else ~/.config/opsagent/opsctl.json ($XDG_CONFIG_HOME; Windows:
/// %APPDATA%\OpsAgent\opsctl.json). Comments and trailing commas are allowed; unknown keys are errors (a typo must
/// not silently drop the token).
/// </summary>
internal sealed record OpsctlConfigFile(string Path, string? Collector, string? Token, string? CaCertificatePem)
{
    public const string Variable = "OPSCTL_CONFIG";
    private const long MaxBytes = 1024 * 1024;

    /// <summary>The default path for this user, or null when the environment names no home.</summary>
    public static string? DefaultPath(Func<string, string?> environment)
    {
        if (OperatingSystem.IsWindows())
        {
            return environment("APPDATA") is { Length: > 0 } appData ? System.IO.Path.Combine(appData, "OpsAgent", "opsctl.json") : null;
        }

        if (environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg)
        {
            return System.IO.Path.Combine(xdg, "opsagent", "opsctl.json");
        }

        return environment("HOME") is { Length: > 0 } home ? System.IO.Path.Combine(home, ".config", "opsagent", "opsctl.json") : null;
    }

    /// <summary>Reads the file; a missing explicit file, unreadable JSON or a wrong key is a usage error naming the file.</summary>
    public static OpsctlConfigFile Load(string path, string source)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw CliException.Usage($"the opsctl configuration file {path} (from {source}) does not exist.");
            }

            if (info.Length > MaxBytes)
            {
                throw CliException.Usage($"the opsctl configuration file {path} is {info.Length} bytes; a configuration file is at most 1 MiB.");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read the opsctl configuration file {path} (from {source}): {ex.Message}");
        }

        return Parse(path, text);
    }

    public static OpsctlConfigFile Parse(string path, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw CliException.Usage($"the opsctl configuration file {path} is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw CliException.Usage($"the opsctl configuration file {path} must hold a JSON object, e.g. {{ \"collector\": \"https://...:7401\", \"token\": \"oa_...\" }}.");
            }

            string? collector = null, token = null, caPem = null, caFile = null;
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "collector":
                        collector = String(path, property);
                        break;
                    case "token":
                        token = String(path, property);
                        break;
                    case "caCertificate":
                        caPem = String(path, property);
                        break;
                    case "caFile":
                        caFile = String(path, property);
                        break;
                    default:
                        throw CliException.Usage(
                            $"the opsctl configuration file {path} has an unknown key '{Printable(property.Name)}'; the keys are collector, token, caCertificate and caFile.");
                }
            }

            if (caPem is not null && caFile is not null)
            {
                throw CliException.Usage($"the opsctl configuration file {path} has both caCertificate and caFile; keep one.");
            }

            if (caFile is not null)
            {
                string resolved = System.IO.Path.IsPathRooted(caFile) ? caFile : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, caFile);
                caPem = CaBundle.ReadFile(resolved, $"caFile in {path}");
            }

            return new OpsctlConfigFile(path, collector, token, caPem);
        }
    }

    /// <summary>True when other users may read the file (Unix): a token in it is then not the owner's alone.</summary>
    public static bool IsReadableByOthers(string path) =>
        !OperatingSystem.IsWindows() &&
        (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;

    private static string? String(string path, JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.String => property.Value.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Null => null,
        _ => throw CliException.Usage($"'{property.Name}' in the opsctl configuration file {path} must be a string; got {property.Value.ValueKind}."),
    };

    private static string Printable(string s)
    {
        string cut = s.Length > 64 ? s[..64] + "..." : s;
        return new string([.. cut.Select(c => char.IsControl(c) ? '?' : c)]);
    }
}
