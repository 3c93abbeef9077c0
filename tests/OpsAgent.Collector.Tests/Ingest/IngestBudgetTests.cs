using Microsoft.Extensions.Options;
using OpsAgent.Collector.Ingest;

namespace OpsAgent.Collector.Tests.Ingest;

public sealed class IngestBudgetTests
{
    private const long Max = 1024 * 1024;

    private static IngestBudget Create() => new(Options.Create(new IngestOptions { MaxPendingBytes = Max }));

    private static CancellationToken Timeout()
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        return cts.Token;
    }

    [Fact]
    public async Task AcquireAsync_WithinBudget_CompletesAtOnce()
    {
        IngestBudget budget = Create();

        ValueTask a = budget.AcquireAsync(Max / 2, Timeout());
        ValueTask b = budget.AcquireAsync(Max / 2, Timeout());

        Assert.True(a.IsCompletedSuccessfully);
        Assert.True(b.IsCompletedSuccessfully);
        Assert.Equal(Max, budget.Used);
        await a;
        await b;
    }

    [Fact]
    public async Task AcquireAsync_BudgetSpent_WaitsUntilReleasedThenFirstComeFirstServed()
    {
        IngestBudget budget = Create();
        await budget.AcquireAsync(Max, Timeout());

        Task large = budget.AcquireAsync(Max / 2, Timeout()).AsTask();
        Task small = budget.AcquireAsync(10, Timeout()).AsTask();
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);
        Assert.Equal(2, budget.Waits);

        budget.Release(Max / 4);
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        // Room for the first waiter only: the second, though small, stays behind it.
        budget.Release(Max / 4);
        await large.WaitAsync(Timeout());
        Assert.False(small.IsCompleted);
        Assert.Equal(Max, budget.Used);

        budget.Release(Max / 2);
        await small.WaitAsync(Timeout());
        Assert.Equal((Max / 2) + 10, budget.Used);
    }

    [Fact]
    public async Task AcquireAsync_LargerThanTheBudget_AllowedWhenNothingElseIsHeld()
    {
        IngestBudget budget = Create();
        await budget.AcquireAsync(10, Timeout());
        Task huge = budget.AcquireAsync(Max * 3, Timeout()).AsTask();
        Assert.False(huge.IsCompleted);

        budget.Release(10);

        await huge.WaitAsync(Timeout());
        Assert.Equal(Max * 3, budget.Used);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_GivesUpItsPlaceAndLetsOthersThrough()
    {
        IngestBudget budget = Create();
        await budget.AcquireAsync(Max - 100, Timeout());
        using var cancel = new CancellationTokenSource();
        Task first = budget.AcquireAsync(Max, cancel.Token).AsTask();
        Task second = budget.AcquireAsync(50, Timeout()).AsTask();
        Assert.False(second.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await second.WaitAsync(Timeout());
        Assert.Equal(Max - 50, budget.Used);
    }
}
