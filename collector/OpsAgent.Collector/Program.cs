using Microsoft.Extensions.Options;
using OpsAgent.Collector.Configuration;
using OpsAgent.Collector.Pki;
using OpsAgent.Hosting;

namespace OpsAgent.Collector;

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

        // `OpsAgent.Collector bootstrap-admin [--config FILE] [--data-dir DIR]`: the way back in when every admin token is
        // lost. It needs the data directory (the collector's own user, or root), which already holds the CA key.
        bool bootstrapAdmin = args is ["bootstrap-admin", ..];
        if (bootstrapAdmin)
        {
            args = args[1..];
        }

        WebApplication app;
        try
        {
            app = CollectorHost.Build(args);
        }
        catch (Exception ex) when (IsUnreadableConfiguration(ex))
        {
            return ReportStartupFailure("The collector cannot read its configuration: " + Flatten(ex), ExitConfigError);
        }

        await using (app.ConfigureAwait(false))
        {
            string file = app.Services.GetRequiredService<CollectorConfigurationSource>().ConfigFile;
            if (ValidateConfiguration(app.Services) is { } problems)
            {
                return ReportStartupFailure($"The collector configuration is invalid ({file}):{Environment.NewLine}  - {problems}", ExitConfigError);
            }

            try
            {
                // Before any listener opens: TLS needs the server certificate, and a damaged key must stop the start.
                app.Services.GetRequiredService<CollectorPki>().EnsureLoaded();
            }
            catch (PkiException ex)
            {
                // Not a restart loop: a missing or damaged key needs an admin (restore a backup), as a bad config does.
                return ReportStartupFailure("The collector cannot load its keys: " + ex.Message, ExitConfigError);
            }

            if (bootstrapAdmin)
            {
                return await WriteBootstrapAdminAsync(app).ConfigureAwait(false);
            }

            try
            {
                await app.RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (app.Lifetime.ApplicationStopping.IsCancellationRequested && IsCancellation(ex))
            {
                // A part of the collector did not finish stopping within the host's shutdown timeout. Nothing that was
                // acknowledged is lost (the store replays its write-ahead log at the next start); say so instead of
                // aborting with a stack trace.
                LogUncleanStop(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OpsAgent.Collector"), Flatten(ex));
                return ExitFatal;
            }
            catch (IOException ex) when (ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                return ReportStartupFailure(
                    $"A listener could not bind: {ex.Message.TrimEnd('.')}. Another process (maybe another collector) uses the port; stop it or change Collector:Endpoints.",
                    ExitFatal);
            }
        }
    }

    /// <summary>Creates a new admin token and writes DATA_DIR/admin.json, without starting the collector.</summary>
    private static async Task<int> WriteBootstrapAdminAsync(WebApplication app)
    {
        CollectorOptions options = app.Services.GetRequiredService<IOptions<CollectorOptions>>().Value;
        if (options.Insecure)
        {
            return ReportStartupFailure("bootstrap-admin: this collector runs with Collector:Insecure=true, which needs no API tokens.", ExitConfigError);
        }

        string adminUrl = options.Endpoints.Admin;
        if (Endpoints.ListenAddress.TryParse(adminUrl, out Endpoints.ListenAddress? address, out _) &&
            (address.Address.Equals(System.Net.IPAddress.Any) || address.Address.Equals(System.Net.IPAddress.IPv6Any)))
        {
            adminUrl = $"https://127.0.0.1:{address.Port}"; // reachable from this host, and named in the server certificate
        }

        try
        {
            string path = app.Services.GetRequiredService<Access.BootstrapAdmin>().Write(adminUrl, "bootstrap-admin was run");
            await Console.Out.WriteLineAsync(
                $"Wrote a new admin API credential to {path}. Use it: OPSCTL_CONFIG={path} opsctl api-tokens list").ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException or Storage.StorageUnavailableException)
        {
            return ReportStartupFailure(
                $"bootstrap-admin could not write the credential: {ex.Message} Run it as the collector's user (sudo -u opsagent-collector) or root.", ExitFatal);
        }
    }

    private static string Flatten(Exception ex)
    {
        string message = ex.Message;
        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " " + inner.Message;
        }

        return message;
    }

    /// <summary>Every ValidateOnStart check, run before the host starts: the problems as a list of fixes, or null.</summary>
    internal static string? ValidateConfiguration(IServiceProvider services) => StartupValidation.Validate(services);

    /// <summary>What building the host throws for a configuration it cannot read: a missing explicit file, or see <see cref="StartupValidation.IsUnreadable"/>.</summary>
    internal static bool IsUnreadableConfiguration(Exception ex) => ex is CollectorConfigurationException || StartupValidation.IsUnreadable(ex);

    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static void AddEventLog(ILoggingBuilder builder) => builder.AddEventLog(o => o.SourceName = "OpsAgent.Collector");

    private static int ReportStartupFailure(string message, int exitCode)
    {
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
            LogStartupFailure(factory.CreateLogger("OpsAgent.Collector"), message, exitCode);
        }

        return exitCode;
    }

    private static bool IsCancellation(Exception ex) => ex switch
    {
        OperationCanceledException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsCancellation),
        _ => false,
    };

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error,
        Message = "The collector did not stop cleanly within its shutdown timeout ({Problem}). Nothing acknowledged is lost: the store replays its write-ahead log at the next start, and detectors resume from their last saved state.")]
    private static partial void LogUncleanStop(ILogger logger, string problem);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Critical, Message = "{Message} (exit code {ExitCode})")]
    private static partial void LogStartupFailure(ILogger logger, string message, int exitCode);
}
