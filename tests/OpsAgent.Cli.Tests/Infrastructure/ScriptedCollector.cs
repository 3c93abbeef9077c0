using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpsAgent.Cli.Tests.Infrastructure;

/// <summary>
/// A real gRPC server on 127.0.0.1 with a port the OS picks, speaking plain HTTP/2 (h2c) like the collector's
/// admin endpoint, hosting <see cref="ScriptedAdminService"/>.
/// </summary>
internal sealed class ScriptedCollector : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedCollector(WebApplication app, ScriptedAdminService admin, string url)
    {
        _app = app;
        Admin = admin;
        Url = url;
    }

    public ScriptedAdminService Admin { get; }

    /// <summary>http://127.0.0.1:PORT, without a trailing slash.</summary>
    public string Url { get; }

    public static async Task<ScriptedCollector> StartAsync(CancellationToken cancellationToken)
    {
        var admin = new ScriptedAdminService();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(admin);

        var app = builder.Build();
        app.MapGrpcService<ScriptedAdminService>();
        await app.StartAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ScriptedCollector(app, admin, address.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
