namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>Polls a condition against real processes until it holds or the deadline passes.</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, Func<string>? diagnostics = null)
        where T : class
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        Exception? last = null;
        while (true)
        {
            try
            {
                T? value = await probe().ConfigureAwait(false);
                if (value is not null)
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                last = ex;
            }

            try
            {
                await Task.Delay(200, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}. Last error: {last?.Message ?? "none"}\n{diagnostics?.Invoke()}");
            }
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, TimeSpan timeout, string what, Func<string>? diagnostics = null) =>
        GetAsync<object>(async () => await probe().ConfigureAwait(false) ? new object() : null, timeout, what, diagnostics);
}
