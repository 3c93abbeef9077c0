using Microsoft.Extensions.Options;
using OpsAgent.Agent.Configuration;

namespace OpsAgent.Agent;

internal static partial class Program
{
    /// <summary>EX_CONFIG from sysexits.h; the systemd unit does not restart on it (RestartPreventExitStatus).</summary>
    private const int ExitConfigError = 78;
    private const int ExitFatal = 1;

    public static async Task<int> Main(string[] args)
    {
        if (args is ["--version"])
        {
            await Console.Out.WriteLineAsync(typeof(Program).Assembly.GetName().Version?.ToString(3)).ConfigureAwait(false);
            return 0;
        }

        IHost host;
        try
        {
            host = AgentHost.CreateBuilder(args).Build();
        }
        catch (Exception ex) when (ex is AgentConfigurationException or InvalidDataException or FormatException)
        {
            // InvalidDataException: a config file that is not valid JSON; its message names the file and the line.
            return ReportStartupFailure(ConfigurationProblem(ex), ExitConfigError);
        }

        using (host)
        {
            string file = host.Services.GetRequiredService<AgentConfigurationSource>().ConfigFile;
            if (ValidateConfiguration(host.Services) is { } problems)
            {
                return ReportStartupFailure($"The agent configuration is invalid ({file}):{Environment.NewLine}  - {problems}", ExitConfigError);
            }

            try
            {
                await host.RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is InvalidDataException or UnauthorizedAccessException or IOException)
            {
                // State files the agent cannot read or write: say which, and stop instead of running half-blind.
                return ReportStartupFailure(ex.Message, ExitFatal);
            }
        }
    }

    private static string ConfigurationProblem(Exception ex)
    {
        string message = ex.Message;
        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " " + inner.Message;
        }

        return "The agent cannot read its configuration: " + message;
    }

    /// <summary>
    /// Runs every ValidateOnStart check before the host starts, so that a bad configuration is reported once, as a
    /// list of fixes, instead of as the host's stack trace.
    /// </summary>
    private static string? ValidateConfiguration(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return string.Join(Environment.NewLine + "  - ", ex.Failures);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // A value of the wrong type ("Fsync": "sometimes"): the binder's message names the key and the type.
            return ex.Message + " Check the spelling (see the configuration table in the README).";
        }
        catch (AggregateException ex)
        {
            return string.Join(
                Environment.NewLine + "  - ",
                ex.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        }
    }

    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static void AddEventLog(ILoggingBuilder builder) => builder.AddEventLog(o => o.SourceName = "OpsAgent.Agent");

    private static int ReportStartupFailure(string message, int exitCode)
    {
        // The host (and its logging) may not exist yet; a minimal console logger gets the message to journald / the console.
        using (ILoggerFactory factory = LoggerFactory.Create(b =>
        {
            b.AddSimpleConsole(o => o.SingleLine = true);
            if (OperatingSystem.IsWindows())
            {
                // A Windows service has no console: the Event Log is where an admin looks.
                AddEventLog(b);
            }
        }))
        {
            LogStartupFailure(factory.CreateLogger("OpsAgent.Agent"), message, exitCode);
        }

        return exitCode;
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Critical, Message = "{Message} (exit code {ExitCode})")]
    private static partial void LogStartupFailure(ILogger logger, string message, int exitCode);
}
