using Microsoft.Extensions.Options;

namespace OpsAgent.Hosting;

/// <summary>
/// How the agent and the collector turn a bad configuration into one list of fixes instead of the host's stack trace.
/// One source file compiled into both programs (the collector links it from OpsAgent.Collector.csproj), so that the
/// agent takes no dependency on the collector's assemblies and the two report problems the same way.
/// </summary>
internal static class StartupValidation
{
    /// <summary>
    /// Runs every ValidateOnStart check before the host starts; returns the problems, one per line, or null when there
    /// are none.
    /// </summary>
    public static string? Validate(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException || IsBindingFailure(ex))
        {
            IEnumerable<Exception> all = ex is AggregateException aggregate ? aggregate.InnerExceptions : [ex];
            var problems = new List<string>();
            foreach (Exception problem in all)
            {
                if (problem is OptionsValidationException validation)
                {
                    problems.AddRange(validation.Failures);
                }
                else if (IsBindingFailure(problem))
                {
                    problems.Add(problem.Message + " Write the value in the form its key expects: a number without quotes, a duration as \"00:00:30\", true or false.");
                }
                else
                {
                    throw;
                }
            }

            return string.Join(Environment.NewLine + "  - ", problems);
        }
    }

    /// <summary>
    /// What building a host throws for a configuration it cannot read, apart from each program's own exception for a
    /// missing explicit file: broken JSON (InvalidDataException, naming the file and line), a bad value format, or a value
    /// of the wrong type.
    /// </summary>
    public static bool IsUnreadable(Exception ex) => ex is InvalidDataException or FormatException || IsBindingFailure(ex);

    /// <summary>The configuration binder's "Failed to convert configuration value 'x' at 'Key' to type 'T'": a value of the wrong type.</summary>
    private static bool IsBindingFailure(Exception ex) =>
        ex is InvalidOperationException && ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal);
}
