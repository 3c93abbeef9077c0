using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli.Connection;

/// <summary>The CA certificate(s) opsctl trusts for an https:// collector, instead of the machine's trust store.</summary>
internal static class CaBundle
{
    public const string Variable = "OPSAGENT_CA";

    public static string ReadFile(string path, string source)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read the CA certificate file {path} ({source}): {ex.Message} (the collector's CA is DATA_DIR/pki/ca.crt).");
        }
    }

    /// <summary>Parses PEM certificates; a text without one is a usage error naming where it came from.</summary>
    public static X509Certificate2Collection Parse(string pem, string source)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw CliException.Usage($"the CA certificate from {source} is not a PEM certificate: {ex.Message}");
        }

        return certificates.Count > 0
            ? certificates
            : throw CliException.Usage($"the CA certificate from {source} holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
    }
}
