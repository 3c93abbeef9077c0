using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpsAgent.Collector.Notifications;
using OpsAgent.Collector.Observability;
using static OpsAgent.Collector.Tests.Notifications.NotificationTestData;

namespace OpsAgent.Collector.Tests.Notifications;

/// <summary>The notification pipeline against a real HTTP server on 127.0.0.1, with the notifier's clock faked.</summary>
public sealed class NotificationDispatcherTests
{
    private static CancellationToken Deadline => CancellationTokenSource.CreateLinkedTokenSource(
        TestContext.Current.CancellationToken, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).Token;

    [Fact]
    public async Task Publish_ReceiverFailsTwiceWith503_RetriesWithBackoffAndDeliversTheSamePayload()
    {
        var time = new FakeTimeProvider(Opened);
        await using WebhookReceiver server = await WebhookReceiver.StartAsync(time, Deadline);
        server.Then(HttpStatusCode.ServiceUnavailable, body: "warming up");
        server.Then(HttpStatusCode.BadGateway);
        await using Notifier notifier = await Notifier.StartAsync(time, Receiver("pager", server.Url + "/am"));

        Assert.Equal(1, notifier.Publisher.Publish(Incident()));
        await AdvanceUntilAsync(time, () => notifier.Counters.Value("pager", "sent") == 1);

        ReceivedRequest[] requests = [.. server.Requests];
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body));
        Assert.All(requests, r => Assert.Equal("/am", r.Path));
        Assert.Equal("application/json; charset=utf-8", requests[0].Headers["Content-Type"]);
        using (JsonDocument json = JsonDocument.Parse(requests[0].Body))
        {
            Assert.Equal("inc-42", json.RootElement.GetProperty("groupLabels").GetProperty("incident").GetString());
        }

        // Backoff: first retry waits 0.5-1 s, the second 1-2 s (InitialRetryDelay 1 s), measured on the notifier's clock,
        // which the test moves in 250 ms steps (hence the upper bounds).
        Assert.InRange((requests[1].At - requests[0].At).TotalSeconds, 0.5, 1.5);
        Assert.InRange((requests[2].At - requests[1].At).TotalSeconds, 1.0, 2.5);
        Assert.Equal(2, notifier.Counters.Value("pager", "retries"));
        Assert.Equal(0, notifier.Counters.Value("pager", "queue_depth"));
    }

    [Fact]
    public async Task Publish_ReceiverAnswers400_IsNotRetried()
    {
        var time = new FakeTimeProvider(Opened);
        await using WebhookReceiver server = await WebhookReceiver.StartAsync(time, Deadline);
        server.Then(HttpStatusCode.BadRequest, body: "unknown token");
        await using Notifier notifier = await Notifier.StartAsync(time, Receiver("pager", server.Url));

        notifier.Publisher.Publish(Incident());
        await AdvanceUntilAsync(time, () => notifier.Counters.FailedCount("pager", "rejected") == 1);

        Assert.Single(server.Requests);
        Assert.Equal(0, notifier.Counters.Value("pager", "retries"));
    }

    [Fact]
    public async Task Publish_ReceiverAnswers429WithRetryAfter_WaitsAsLongAsAsked()
    {
        var time = new FakeTimeProvider(Opened);
        await using WebhookReceiver server = await WebhookReceiver.StartAsync(time, Deadline);
        server.Then(HttpStatusCode.TooManyRequests, retryAfter: "3");
        await using Notifier notifier = await Notifier.StartAsync(time, Receiver("pager", server.Url));

        notifier.Publisher.Publish(Incident());
        await AdvanceUntilAsync(time, () => notifier.Counters.Value("pager", "sent") == 1);

        ReceivedRequest[] requests = [.. server.Requests];
        Assert.Equal(2, requests.Length);
        Assert.InRange((requests[1].At - requests[0].At).TotalSeconds, 3.0, 3.75); // Retry-After, not the 0.5-1 s backoff
    }

    [Fact]
    public async Task Publish_RetryAfterLongerThanAllowed_GivesUp()
    {
        var time = new FakeTimeProvider(Opened);
        await using WebhookReceiver server = await WebhookReceiver.StartAsync(time, Deadline);
        server.Then(HttpStatusCode.ServiceUnavailable, retryAfter: "3600");
        await using Notifier notifier = await Notifier.StartAsync(time, Receiver("pager", server.Url));

        notifier.Publisher.Publish(Incident());
        await AdvanceUntilAsync(time, () => notifier.Counters.FailedCount("pager", "retry_after_too_long") == 1);

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Publish_ReceiverDoesNotAnswerWithinTimeout_RetriesAndDelivers()
    {
        var time = new FakeTimeProvider(Opened);
        await using WebhookReceiver server = await WebhookReceiver.StartAsync(time, Deadline);
        server.ThenHang();
        await using Notifier notifier = await Notifier.StartAsync(time, Receiver("pager", server.Url, timeout: "10s"));

        notifier.Publisher.Publish(Incident());
        await WaitUntilAsync(() => server.Requests.Count == 1);
        time.Advance(TimeSpan.FromSeconds(10)); // the attempt's timeout: the client gives up on the hung request
        await WaitUntilAsync(() => notifier.Counters.Value("pager", "retries") == 1);
        await AdvanceUntilAsync(time, () => server.Requests.Count == 2, TimeSpan.FromMilliseconds(100));
        await WaitUntilAsync(() => notifier.Counters.Value("pager", "sent") == 1);

        ReceivedRequest[] requests = [.. server.Requests];
        Assert.InRange((requests[1].At - requests[0].At).TotalSeconds, 10.5, 11.5); // 10 s timeout, then 0.5-1 s backoff
        Assert.Equal(1, notifier.Counters.Value("pager", "retries"));
    }

    [Fact]
    public async Task Publish_NothingListening_RetriesUntilMaxAttemptsThenGivesUp()
    {
        var time = new FakeTimeProvider(Opened);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using Notifier notifier = await Notifier.StartAsync(time, Receiver("pager", $"http://127.0.0.1:{port}/hook"), ("Collector:Notifications:MaxAttempts", "3"));

        notifier.Publisher.Publish(Incident());
        await AdvanceUntilAsync(time, () => notifier.Counters.FailedCount("pager", "retries_exhausted") == 1);

        Assert.Equal(2, notifier.Counters.Value("pager", "retries"));
        Assert.Equal(0, notifier.Counters.Value("pager", "sent"));
    }

    [Fact]
    public async Task Publish_QueueFull_DropsTheOldestAndCountsIt()
    {
        var time = new FakeTimeProvider(Opened);
        await using WebhookReceiver server = await WebhookReceiver.StartAsync(time, Deadline);
        server.ThenHang();
        await using Notifier notifier = await Notifier.StartAsync(time, Receiver("pager", server.Url, timeout: "1m"), ("Collector:Notifications:QueueCapacity", "2"));

        notifier.Publisher.Publish(Incident(incident: "inc-1"));
        await WaitUntilAsync(() => !server.Requests.IsEmpty); // inc-1 is in flight, out of the queue
        for (int i = 2; i <= 5; i++)
        {
            Assert.Equal(1, notifier.Publisher.Publish(Incident(incident: $"inc-{i}")));
        }

        Assert.Equal(2, notifier.Counters.Value("pager", "dropped"));
        Assert.Equal(2, notifier.Counters.Value("pager", "queue_depth"));
        server.Release();
        await WaitUntilAsync(() => notifier.Counters.Value("pager", "sent") == 3);
        Assert.Equal(["inc-1", "inc-4", "inc-5"], server.Requests.Select(r => IncidentOf(r.Body)));
        Assert.Equal(0, notifier.Counters.Value("pager", "queue_depth"));
    }

    [Fact]
    public async Task Publish_TwoReceivers_EachGetsItsEventsInItsFormatWithItsHeaders()
    {
        var time = new FakeTimeProvider(Opened);
        await using WebhookReceiver server = await WebhookReceiver.StartAsync(time, Deadline);
        await using Notifier notifier = await Notifier.StartAsync(
            time,
            [
                .. Receiver("pager", server.Url + "/am"),
                ("Collector:Notifications:Receivers:pager:Headers:Authorization", "Bearer s3cret"),
                .. Receiver("chat", server.Url + "/slack"),
                ("Collector:Notifications:Receivers:chat:Format", "Slack"),
                ("Collector:Notifications:Receivers:chat:Events:0", "IncidentEscalated"),
            ]);

        Assert.Equal(1, notifier.Publisher.Publish(Incident()));
        Assert.Equal(2, notifier.Publisher.Publish(Incident(NotificationEventKind.IncidentEscalated)));
        await WaitUntilAsync(() => server.Requests.Count == 3);

        ReceivedRequest[] alertmanager = [.. server.Requests.Where(r => r.Path == "/am")];
        ReceivedRequest slack = Assert.Single(server.Requests, r => r.Path == "/slack");
        Assert.Equal(2, alertmanager.Length);
        Assert.All(alertmanager, r => Assert.Equal("Bearer s3cret", r.Headers["Authorization"]));
        Assert.False(slack.Headers.ContainsKey("Authorization"));
        using JsonDocument json = JsonDocument.Parse(slack.Body);
        Assert.StartsWith(":sos: [FIRING] Incident escalated on web-1", json.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);

        var text = new PrometheusTextWriter();
        notifier.Counters.WriteTo(text);
        Assert.Contains("opsagent_notifications_sent_total{receiver=\"pager\"} 2", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("opsagent_notifications_sent_total{receiver=\"chat\"} 1", text.ToString(), StringComparison.Ordinal);
    }

    private static string IncidentOf(string body)
    {
        using JsonDocument json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("groupLabels").GetProperty("incident").GetString()!;
    }

    // Attempts get the longest timeout unless a test is about timeouts: the tests move the notifier's clock while real
    // requests are in flight, and a short timeout could then expire on a request that is merely slow in real time.
    private static (string, string?)[] Receiver(string name, string url, string timeout = "5m") =>
    [
        ($"Collector:Notifications:Receivers:{name}:Url", url),
        ($"Collector:Notifications:Receivers:{name}:Timeout", timeout),
    ];

    /// <summary>Moves the notifier's clock forward in small steps until the condition holds (retries wait on that clock).</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, TimeSpan? step = null)
    {
        CancellationToken deadline = Deadline;
        while (!condition())
        {
            time.Advance(step ?? TimeSpan.FromMilliseconds(250));
            await Task.Delay(5, deadline);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        CancellationToken deadline = Deadline;
        while (!condition())
        {
            await Task.Delay(5, deadline);
        }
    }

    private sealed class Notifier : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private Notifier(ServiceProvider services)
        {
            _services = services;
            Dispatcher = services.GetRequiredService<NotificationDispatcher>();
        }

        public NotificationDispatcher Dispatcher { get; }

        public INotificationPublisher Publisher => Dispatcher;

        public NotificationCounters Counters => _services.GetRequiredService<NotificationCounters>();

        public static Task<Notifier> StartAsync(FakeTimeProvider time, (string, string?)[] receiver, params (string Key, string? Value)[] settings) =>
            StartAsync(time, [.. receiver, .. settings]);

        public static async Task<Notifier> StartAsync(FakeTimeProvider time, (string Key, string? Value)[] settings)
        {
            IConfigurationRoot configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
                .Build();
            ServiceProvider services = new ServiceCollection()
                .AddLogging()
                .AddSingleton<TimeProvider>(time)
                .AddNotifications(configuration)
                .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
            var notifier = new Notifier(services);
            await notifier.Dispatcher.StartAsync(Deadline);
            return notifier;
        }

        public async ValueTask DisposeAsync()
        {
            await Dispatcher.StopAsync(Deadline);
            await _services.DisposeAsync();
        }
    }
}
