using OpsAgent.Agent.Identity;

namespace OpsAgent.Agent.Tests.Identity;

public sealed class CertificateRenewerTests
{
    [Fact]
    public void RenewalTime_ThirtyDayCertificate_TenDaysBeforeItEnds()
    {
        var notBefore = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(notBefore.AddDays(20), CertificateRenewer.RenewalTime(notBefore, notBefore.AddDays(30)));
    }

    [Fact]
    public void RenewalTime_OneMinuteCertificate_AfterFortySeconds()
    {
        var notBefore = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(notBefore.AddSeconds(40), CertificateRenewer.RenewalTime(notBefore, notBefore.AddMinutes(1)));
    }
}
