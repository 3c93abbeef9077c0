using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OpsAgent.Collector.Tests.Detection;

/// <summary>Keeps every warning and error logged, so that a test can fail on one it did not expect.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
{
    public ConcurrentQueue<string> Problems { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Problems.Enqueue($"{logLevel} {eventId.Id}: {formatter(state, exception)} {exception}");
        }
    }

    public void Dispose()
    {
    }
}
