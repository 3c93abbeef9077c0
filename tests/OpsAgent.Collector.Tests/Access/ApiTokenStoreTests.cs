using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Access;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Access;

public sealed class ApiTokenStoreTests : IDisposable
{
    private readonly AccessHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Authenticate_CreatedToken_ReturnsItWithRoleAndStoresOnlyAHash()
    {
        (ApiTokenRecord created, string token) = _harness.ApiTokens.Create("alice", Role.Operator, null, "bootstrap");

        ApiTokenRecord? found = _harness.ApiTokens.Authenticate(token, out string? problem);

        Assert.Null(problem);
        Assert.Equal(created.TokenId, found!.TokenId);
        Assert.Equal(Role.Operator, found.Role);
        using SqliteConnection connection = _harness.Database.OpenConnection();
        using SqliteCommand dump = connection.CreateCommand();
        dump.CommandText = "SELECT group_concat(hex(secret_hash) || name || token_id) FROM api_tokens;";
        string stored = (string)dump.ExecuteScalar()!;
        Assert.DoesNotContain(token.Split('_')[2], stored, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Authenticate_RightIdWrongSecret_NotKnownWithoutSayingMore()
    {
        (ApiTokenRecord created, _) = _harness.ApiTokens.Create("alice", Role.Admin, null, "bootstrap");
        _harness.ApiTokens.Revoke(created.TokenId);

        ApiTokenRecord? found = _harness.ApiTokens.Authenticate(TokenSecrets.FormatApiToken(created.TokenId, TokenSecrets.NewSecret()), out string? problem);

        Assert.Null(found);
        Assert.Equal($"the API token {created.TokenId} is not known to this collector (never created here, or mistyped)", problem);
    }

    [Fact]
    public void Authenticate_RevokedToken_RefusedSayingWhen()
    {
        (ApiTokenRecord created, string token) = _harness.ApiTokens.Create("bob", Role.Viewer, null, "bootstrap");
        _harness.ApiTokens.Revoke(created.TokenId);

        Assert.Null(_harness.ApiTokens.Authenticate(token, out string? problem));
        Assert.Equal($"the API token {created.TokenId} (bob) was revoked at 2026-03-01 12:00:00Z", problem);
    }

    [Fact]
    public void Authenticate_AfterItsLifetime_RefusedAsExpired()
    {
        (_, string token) = _harness.ApiTokens.Create("ci", Role.Viewer, TimeSpan.FromHours(1), "bootstrap");
        Assert.NotNull(_harness.ApiTokens.Authenticate(token, out _));

        _harness.Time.Advance(TimeSpan.FromHours(1));

        Assert.Null(_harness.ApiTokens.Authenticate(token, out string? problem));
        Assert.EndsWith("(ci) expired at 2026-03-01 13:00:00Z", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticate_Used_RecordsLastUseAtMostOncePerMinute()
    {
        (ApiTokenRecord created, string token) = _harness.ApiTokens.Create("ci", Role.Viewer, null, "bootstrap");
        _harness.ApiTokens.Authenticate(token, out _);
        _harness.Time.Advance(TimeSpan.FromSeconds(30));
        _harness.ApiTokens.Authenticate(token, out _);

        long lastUsed = _harness.ApiTokens.List(includeInactive: false).Single(t => t.TokenId == created.TokenId).LastUsedUnixMs;

        Assert.Equal(AccessHarness.Start.ToUnixTimeMilliseconds(), lastUsed);
    }

    [Fact]
    public void AnyActiveAdmin_OnlyViewersOrRevokedAdmins_False()
    {
        Assert.False(_harness.ApiTokens.AnyActiveAdmin());
        _harness.ApiTokens.Create("v", Role.Viewer, null, "t");
        (ApiTokenRecord admin, _) = _harness.ApiTokens.Create("a", Role.Admin, null, "t");
        Assert.True(_harness.ApiTokens.AnyActiveAdmin());

        _harness.ApiTokens.Revoke(admin.TokenId);

        Assert.False(_harness.ApiTokens.AnyActiveAdmin());
        Assert.Single(_harness.ApiTokens.List(includeInactive: false));
        Assert.Equal(2, _harness.ApiTokens.List(includeInactive: true).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" alice")]
    [InlineData("line\nbreak")]
    public void Create_BadName_Refused(string name)
    {
        Assert.Throws<ArgumentException>(() => _harness.ApiTokens.Create(name, Role.Viewer, null, "t"));
    }
}
