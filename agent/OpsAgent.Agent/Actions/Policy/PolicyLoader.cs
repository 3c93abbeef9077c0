using System.Text.Json;

namespace OpsAgent.Agent.Actions.Policy;

/// <summary>Reads, checks and normalises the policy file once, at start-up.</summary>
internal static class PolicyLoader
{
    /// <summary>Far above any real policy; a larger file is a wrong path, not a policy.</summary>
    private const long MaxFileBytes = 1024 * 1024;

    public static LocalPolicy Load(string path)
    {
        var target = new LocalPolicy();
        LoadInto(target, path);
        return target;
    }

    /// <summary>
    /// Fills <paramref name="target"/>. A missing file is not an error: it means "no actions allowed", the safe default.
    /// </summary>
    public static void LoadInto(LocalPolicy target, string path)
    {
        target.Path = path;
        target.Policy = null;
        target.Errors.Clear();
        if (string.IsNullOrWhiteSpace(path) || !System.IO.Path.IsPathFullyQualified(path))
        {
            // Agent:Commands:PolicyFile itself is wrong; CommandOptionsValidator reports that.
            return;
        }

        if (Directory.Exists(path))
        {
            target.Errors.Add($"Policy file {path} is a directory. Agent:Commands:PolicyFile must name a JSON file (see install/linux/policy.json).");
            return;
        }

        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return;
            }

            if (info.Length > MaxFileBytes)
            {
                target.Errors.Add($"Policy file {path} is {info.Length} bytes; a policy is at most {MaxFileBytes}. Check Agent:Commands:PolicyFile.");
                return;
            }

            if (FilePermissions.WritableByOthersProblem(path) is { } unsafeFile)
            {
                target.Errors.Add("Policy file " + unsafeFile);
                return;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            target.Errors.Add($"Policy file {path} cannot be read: {ex.Message} Make it readable by the agent (root), or point Agent:Commands:PolicyFile elsewhere.");
            return;
        }

        ActionPolicy? policy;
        try
        {
            policy = JsonSerializer.Deserialize(text, PolicyJsonContext.Default.ActionPolicy);
        }
        catch (JsonException ex)
        {
            string where = ex.LineNumber is { } line ? $" at line {line + 1}" : "";
            target.Errors.Add($"Policy file {path}{where} ({ex.Path ?? "$"}): {Describe(ex)} " +
                "Check the key names and value types against the example in install/linux/policy.json.");
            return;
        }

        if (policy is null)
        {
            target.Errors.Add($"Policy file {path} holds 'null'. Write a JSON object (see install/linux/policy.json), or delete the file to allow no actions.");
            return;
        }

        ActionPolicyValidator.Validate(policy, path, target.Errors);
        target.Policy = target.Errors.Count == 0 ? policy : null;
    }

    /// <summary>The serializer's message in the admin's terms: keys and kinds of value, not .NET types.</summary>
    private static string Describe(JsonException ex)
    {
        string message = ex.Message.Split(" Path:")[0];
        int unmapped = message.IndexOf(" could not be mapped to any .NET member", StringComparison.Ordinal);
        if (unmapped >= 0)
        {
            return message[..unmapped].Replace("The JSON property", "The key", StringComparison.Ordinal) + " is not a known key here.";
        }

        return message
            .Replace("System.Int32", "a whole number", StringComparison.Ordinal)
            .Replace("System.Int64", "a whole number", StringComparison.Ordinal)
            .Replace("System.Boolean", "true or false", StringComparison.Ordinal)
            .Replace("System.String", "a string", StringComparison.Ordinal);
    }
}
