using OpsAgent.Agent.Sources.Host;

namespace OpsAgent.Agent.Tests.Sources.Host;

public sealed class NameCacheTests
{
    [Fact]
    public void Get_SameNameTwice_CreatesItsStateOnce()
    {
        int created = 0;
        var cache = new NameCache<string>(name =>
        {
            created++;
            return name.ToUpperInvariant();
        });
        cache.BeginCycle();

        Assert.Equal("ETH0", cache.Get("eth0"));
        Assert.Same(cache.Get("eth0"), cache.Get("eth0".AsSpan()));
        Assert.Equal(1, created);
    }

    [Fact]
    public void Get_ExcludedName_IsRememberedAsNull()
    {
        int created = 0;
        var cache = new NameCache<string>(_ =>
        {
            created++;
            return null;
        });
        cache.BeginCycle();

        Assert.Null(cache.Get("veth1"));
        Assert.Null(cache.Get("veth1"));
        Assert.Equal(1, created);
    }

    [Fact]
    public void EndCycle_ManyNamesGone_ForgetsThem()
    {
        var cache = new NameCache<string>(name => name);
        cache.BeginCycle();
        for (int i = 0; i < 200; i++)
        {
            cache.Get("veth" + i);
        }

        cache.EndCycle();
        cache.BeginCycle();
        cache.Get("eth0");
        cache.EndCycle();

        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void EndCycle_FewNamesGone_KeepsThemForNow()
    {
        var cache = new NameCache<string>(name => name);
        cache.BeginCycle();
        cache.Get("eth0");
        cache.Get("eth1");
        cache.EndCycle();
        cache.BeginCycle();
        cache.Get("eth0");
        cache.EndCycle();

        Assert.Equal(2, cache.Count);
    }
}
