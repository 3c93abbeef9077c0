using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using OpsAgent.Cli.Connection;
using OpsAgent.Cli.Parsing;

namespace OpsAgent.Cli.Invocation;

/// <summary>
/// Turns any failure of a command into one line an admin can act on (what failed, against which collector,
/// why, and what to do) and an exit code from <see cref="ExitCodes"/>. Statuses the collector sent are quoted
/// verbatim after a short explanation. Stack traces and transport details only with --verbose.
/// </summary>
internal static class ErrorReporter
{
    private const string ReachHint =
        $"Is the collector running? Set --collector or {ConnectionSettingsResolver.CollectorVariable}.";

    public static int Report(Exception exception, ErrorScope scope, TextWriter error)
    {
        var (exitCode, message) = Explain(exception, scope);
        error.WriteLine("opsctl: " + message);
        if (scope.Verbose)
        {
            var detail = exception is RpcException { Status.DebugException: { } debug } ? debug : exception;
            if (detail is not CliException)
            {
                error.WriteLine(detail.ToString());
            }
        }

        return exitCode;
    }

    internal static (int ExitCode, string Message) Explain(Exception exception, ErrorScope scope)
    {
        var url = scope.Connection?.DisplayUrl ?? ConnectionSettingsResolver.DefaultCollector;
        var from = scope.Connection is { CollectorSource: not "--collector" and not "default" } connection
            ? $" (from {connection.CollectorSource})"
            : string.Empty;

        switch (exception)
        {
            case CliException cli:
                return (cli.ExitCode, cli.Message);

            case OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } when scope.Interrupted:
                return (ExitCodes.Cancelled, "interrupted.");

            case OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } when scope.TimedOut:
                return (ExitCodes.Unreachable,
                    $"the collector at {url}{from} did not answer within {FormatTimeout(scope)}. " +
                    "Is it overloaded, or is something in between dropping packets? Raise --timeout or check the collector's log.");

            case RpcException { StatusCode: StatusCode.Unavailable, Status.DebugException: { } transport }:
                return (ExitCodes.Unreachable, $"cannot reach the collector at {url}{from}: {Cause(transport)}. {TransportHint(transport)}");

            // The call never reached the collector (a failed TLS handshake surfaces as Internal, not Unavailable).
            case RpcException { Status.DebugException: HttpRequestException transport }:
                return (ExitCodes.Unreachable, $"cannot talk to the collector at {url}{from}: {Cause(transport)}. {TransportHint(transport)}");

            case RpcException rpc:
                return ExplainStatus(rpc.Status, url + from);

            default:
                return (ExitCodes.Failed,
                    $"unexpected error in {scope.CommandPath}: {exception.Message}" +
                    (scope.Verbose ? string.Empty : " Run again with --verbose for details, and report it if it persists."));
        }
    }

    private static (int ExitCode, string Message) ExplainStatus(Status status, string collector)
    {
        var detail = string.IsNullOrWhiteSpace(status.Detail) ? "(the collector gave no details)" : status.Detail;
        var code = status.StatusCode;
        return code switch
        {
            StatusCode.NotFound =>
                (ExitCodes.Failed, $"not found ({code}): {detail}"),
            StatusCode.InvalidArgument or StatusCode.OutOfRange =>
                (ExitCodes.Usage, $"the collector rejected the request ({code}): {detail}"),
            StatusCode.Unauthenticated =>
                (ExitCodes.PermissionDenied,
                    $"the collector at {collector} did not accept our credentials ({code}): {detail}. " +
                    $"Pass a valid API token with --token, {ConnectionSettingsResolver.TokenVariable} or the config file ({OpsctlConfigFile.Variable})."),
            StatusCode.PermissionDenied =>
                (ExitCodes.PermissionDenied,
                    $"permission denied ({code}): {detail}. Ask an admin for a token whose role allows this."),
            StatusCode.Unavailable =>
                (ExitCodes.Unreachable, $"the collector at {collector} is unavailable ({code}): {detail}. Try again shortly."),
            StatusCode.DeadlineExceeded =>
                (ExitCodes.Unreachable,
                    $"the collector at {collector} ran out of time ({code}): {detail}. Narrow the request or raise --timeout."),
            StatusCode.Unimplemented =>
                (ExitCodes.Failed,
                    $"the collector at {collector} does not support this command ({code}): {detail}. " +
                    "It is probably older than this opsctl; upgrade the collector."),
            StatusCode.ResourceExhausted =>
                (ExitCodes.Failed, $"the collector refused the request as too large or too frequent ({code}): {detail}"),
            _ =>
                (ExitCodes.Failed, $"the collector at {collector} failed the request ({code}): {detail}"),
        };
    }

    private static string FormatTimeout(ErrorScope scope) =>
        DurationParser.Format(scope.Connection?.Timeout ?? GlobalOptions.DefaultTimeout);

    /// <summary>The innermost message is the one that names the cause ("Connection refused").</summary>
    private static string Cause(Exception transport)
    {
        var innermost = transport;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return innermost.Message.TrimEnd('.');
    }

    private static string TransportHint(Exception transport)
    {
        for (var e = transport; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain }:
                    return $"Is the host name right? Set --collector or {ConnectionSettingsResolver.CollectorVariable}.";
                case AuthenticationException:
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }:
                    return "The TLS handshake failed: use https:// with the collector's CA (--ca, OPSAGENT_CA or the config file; " +
                        "the collector's DATA_DIR/pki/ca.crt), connect by a name or address its certificate holds (Collector:Tls:ExtraNames), " +
                        "or http:// for a collector in insecure mode.";
                case HttpRequestException { HttpRequestError: HttpRequestError.HttpProtocolError }:
                    return "Something answered, but not with HTTP/2 gRPC: is this the collector's admin port (http:// vs https://)?";
            }
        }

        return ReachHint;
    }
}
