using OpsAgent.Agent.Configuration;
using OpsAgent.Hosting;

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
        catch (Exception ex) when (IsUnreadableConfiguration(ex))
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

            // Resolved now: RunAsync disposes the host, and with it the service provider.
            var fatalError = host.Services.GetRequiredService<Identity.FatalError>();
            try
            {
                await host.RunAsync().ConfigureAwait(false);
                return fatalError.Message is { } fatal ? ReportStartupFailure(fatal, ExitConfigError) : 0;
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

    /// <summary>Every ValidateOnStart check, run before the host starts: the problems as a list of fixes, or null.</summary>
    internal static string? ValidateConfiguration(IServiceProvider services) => StartupValidation.Validate(services);

    /// <summary>What building the host throws for a configuration it cannot read: a missing explicit file, or see <see cref="StartupValidation.IsUnreadable"/>.</summary>
    internal static bool IsUnreadableConfiguration(Exception ex) => ex is AgentConfigurationException || StartupValidation.IsUnreadable(ex);

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
