using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Notifications;

namespace OpsAgent.Collector.Tests.Notifications;

public sealed class NotificationOptionsTests
{
    [Fact]
    public void Bind_FullSection_ReadsEveryValue()
    {
        NotificationOptions options = Bind(new()
        {
            ["Collector:Notifications:ExternalUrl"] = "https://collector.example.com",
            ["Collector:Notifications:QueueCapacity"] = "50",
            ["Collector:Notifications:MaxAttempts"] = "3",
            ["Collector:Notifications:InitialRetryDelay"] = "500ms",
            ["Collector:Notifications:MaxRetryDelay"] = "00:00:30",
            ["Collector:Notifications:MaxRetryAfter"] = "2m",
            ["Collector:Notifications:Receivers:pager:Url"] = "https://hooks.example.com/am",
            ["Collector:Notifications:Receivers:pager:Events:0"] = "IncidentOpened",
            ["Collector:Notifications:Receivers:pager:Events:1"] = "incident_resolved",
            ["Collector:Notifications:Receivers:pager:Timeout"] = "5s",
            ["Collector:Notifications:Receivers:pager:Headers:Authorization"] = "Bearer s3cret",
            ["Collector:Notifications:Receivers:chat:Url"] = "https://hooks.slack.com/services/T/B/X",
            ["Collector:Notifications:Receivers:chat:format"] = "slack",
            ["Collector:Notifications:Receivers:chat:Events"] = "IncidentEscalated, ApprovalRequested",
        });

        Assert.Empty(Validate(options));
        Assert.Equal(("https://collector.example.com", 50, 3), (options.ExternalUrl, options.QueueCapacity, options.MaxAttempts));
        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)), (options.InitialRetryDelay, options.MaxRetryDelay, options.MaxRetryAfter));
        NotificationReceiverOptions pager = options.Receivers["pager"];
        Assert.Equal(("pager", NotificationFormat.Alertmanager, TimeSpan.FromSeconds(5)), (pager.Name, pager.Format, pager.Timeout));
        Assert.Equal([NotificationEventKind.IncidentOpened, NotificationEventKind.IncidentResolved], pager.Events);
        Assert.Equal("Bearer s3cret", pager.Headers["authorization"]);
        NotificationReceiverOptions chat = options.Receivers["chat"];
        Assert.Equal(NotificationFormat.Slack, chat.Format);
        Assert.Equal([NotificationEventKind.IncidentEscalated, NotificationEventKind.ApprovalRequested], chat.Events);
        Assert.True(chat.Wants(NotificationEventKind.ApprovalRequested));
        Assert.False(chat.Wants(NotificationEventKind.IncidentOpened));
    }

    [Fact]
    public void Validate_EveryKindOfMistake_IsReportedWithKeyAndFix()
    {
        NotificationOptions options = Bind(new()
        {
            ["Collector:Notifications:Recievers:x:Url"] = "https://a.example.com",
            ["Collector:Notifications:ExternalUrl"] = "collector",
            ["Collector:Notifications:QueueCapacity"] = "0",
            ["Collector:Notifications:MaxAttempts"] = "lots",
            ["Collector:Notifications:MaxRetryDelay"] = "5",
            ["Collector:Notifications:Receivers:bad name!:Url"] = "ftp://files.example.com",
            ["Collector:Notifications:Receivers:bad name!:Format"] = "Slak",
            ["Collector:Notifications:Receivers:bad name!:Evnets:0"] = "IncidentOpened",
            ["Collector:Notifications:Receivers:ok:Url"] = "http://127.0.0.1:9/hook",
            ["Collector:Notifications:Receivers:ok:Events:0"] = "IncidentClosed",
            ["Collector:Notifications:Receivers:ok:Timeout"] = "10m",
            ["Collector:Notifications:Receivers:ok:Headers:Content-Type"] = "text/plain",
            ["Collector:Notifications:Receivers:ok:Headers:X Token"] = "a",
        });

        IReadOnlyList<string> errors = Validate(options);

        string[] expected =
        [
            "Collector:Notifications:Recievers is not a setting. Did you mean 'receivers'?",
            "Collector:Notifications:MaxAttempts 'lots' is not a whole number.",
            "Collector:Notifications:MaxRetryDelay '5' has no unit",
            "Collector:Notifications:Receivers:bad name!:Format 'Slak' is not a format; use Alertmanager or Slack.",
            "Collector:Notifications:Receivers:bad name!:Evnets is not a setting. Did you mean 'events'?",
            "Collector:Notifications:Receivers:ok:Events contains 'IncidentClosed', which is not an event",
            "Collector:Notifications:ExternalUrl 'collector' is not an absolute http:// or https:// URL",
            "Collector:Notifications:QueueCapacity must be between 1 and 100000",
            "Collector:Notifications:Receivers:bad name!: the receiver name 'bad name!' may only hold",
            "Collector:Notifications:Receivers:bad name!:Url 'ftp://files.example.com' is not an absolute http:// or https:// URL",
            "Collector:Notifications:Receivers:ok:Timeout must be between 1s and 5m",
            "Collector:Notifications:Receivers:ok:Headers: Content-Type is set by the collector itself",
            "Collector:Notifications:Receivers:ok:Headers: 'X Token' is not a valid HTTP header name",
        ];
        Assert.Equal(expected.Length, errors.Count);
        foreach (string fragment in expected)
        {
            Assert.Contains(errors, e => e.StartsWith(fragment, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void AddNotifications_BadSection_FailsAtStartUpWithTheProblems()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Collector:Notifications:Receivers:x:Url"] = "not a url",
        }).Build();
        using ServiceProvider services = new ServiceCollection().AddLogging().AddNotifications(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NotificationOptions>>().Value);

        Assert.Contains("Collector:Notifications:Receivers:x:Url 'not a url'", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void AddNotifications_NoSection_IsValidAndPublishesToNobody()
    {
        using ServiceProvider services = new ServiceCollection().AddLogging().AddNotifications(new ConfigurationBuilder().Build()).BuildServiceProvider();

        Assert.Equal(0, services.GetRequiredService<INotificationPublisher>().Publish(NotificationTestData.Incident()));
    }

    private static NotificationOptions Bind(Dictionary<string, string?> values)
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new NotificationOptions();
        NotificationOptionsBinder.Bind(configuration.GetSection(NotificationOptions.SectionName), options);
        return options;
    }

    private static IReadOnlyList<string> Validate(NotificationOptions options)
    {
        ValidateOptionsResult result = new NotificationOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures!] : [];
    }
}
