using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpsAgent.Collector.Tests.Notifications;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port chosen by the OS) that records every request and answers as the
/// test scripts it: a status, headers, or a hang until released. Unscripted requests get 200.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Reply> _script = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebhookReceiver(WebApplication app, TimeProvider clock)
    {
        _app = app;
        Clock = clock;
    }

    /// <summary>The clock used to stamp requests (the notifier's fake clock, so gaps are in its time).</summary>
    public TimeProvider Clock { get; }

    public string Url { get; private set; } = "";

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public static async Task<WebhookReceiver> StartAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var receiver = new WebhookReceiver(app, clock);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return receiver;
    }

    /// <summary>The next unanswered request gets this status (and Retry-After, when given).</summary>
    public void Then(HttpStatusCode status, string? retryAfter = null, string body = "") => _script.Enqueue(new Reply(status, retryAfter, body, Hang: false));

    /// <summary>The next request hangs until <see cref="Release"/> or until the client gives up.</summary>
    public void ThenHang() => _script.Enqueue(new Reply(HttpStatusCode.OK, null, "", Hang: true));

    public void Release() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new ReceivedRequest(context.Request.Path, headers, body, Clock.GetUtcNow()));
        Reply reply = _script.TryDequeue(out Reply? scripted) ? scripted : new Reply(HttpStatusCode.OK, null, "", Hang: false);
        if (reply.Hang)
        {
            try
            {
                await _release.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up (its timeout), which is what the test waits for
            }
        }

        context.Response.StatusCode = (int)reply.Status;
        if (reply.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
    }

    private sealed record Reply(HttpStatusCode Status, string? RetryAfter, string Body, bool Hang);
}

/// <summary>One request as the receiver saw it, stamped with the notifier's clock.</summary>
internal sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);
