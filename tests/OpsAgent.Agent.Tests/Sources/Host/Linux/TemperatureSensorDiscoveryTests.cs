using OpsAgent.Agent.Sources;
using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class TemperatureSensorDiscoveryTests
{
    [Fact]
    public void Discover_ThermalZonesAndHwmonChips_FindsEveryTemperatureInput()
    {
        List<TemperatureSensor> sensors = TemperatureSensorDiscovery.Discover(FixtureFiles.PathOf("Linux/temperatures/sys"), new ProcFileReader());

        Assert.Equal(
            [
                "chip=coretemp device=hwmon0 sensor=Package id 0",
                "chip=coretemp device=hwmon0 sensor=Core 0",
                "chip=nvme device=hwmon1 sensor=Composite",
                "chip=nvme device=hwmon1 sensor=temp2",
                "chip=it8728 device=hwmon2 sensor=temp1",
                "zone=thermal_zone0 type=x86_pkg_temp",
                "zone=thermal_zone1 type=iwlwifi_1",
            ],
            sensors.Select(s => Describe(s.Labels)));
    }

    [Fact]
    public void Discover_HostWithoutThermalOrHwmon_FindsNothing()
    {
        List<TemperatureSensor> sensors = TemperatureSensorDiscovery.Discover(FixtureFiles.PathOf("Linux/captured-vm/sys"), new ProcFileReader());

        Assert.Empty(sensors);
    }

    [Fact]
    public void Discover_MissingSysRoot_FindsNothing()
    {
        List<TemperatureSensor> sensors = TemperatureSensorDiscovery.Discover("/nonexistent-sysfs-root", new ProcFileReader());

        Assert.Empty(sensors);
    }

    [Fact]
    public void Discover_HwmonWithDeviceLink_LabelsTheChipWithTheLinkedDevice()
    {
        using TempTree tree = TempTree.Empty();
        tree.Write("sys/devices/platform/coretemp.1/hwmon/hwmon4/name", "coretemp\n");
        tree.Write("sys/devices/platform/coretemp.1/hwmon/hwmon4/temp1_input", "61000\n");
        Directory.CreateDirectory(Path.Combine(tree.Sys, "class", "hwmon"));
        Directory.CreateSymbolicLink(Path.Combine(tree.Sys, "class", "hwmon", "hwmon4"), "../../devices/platform/coretemp.1/hwmon/hwmon4");
        Directory.CreateSymbolicLink(Path.Combine(tree.Sys, "devices", "platform", "coretemp.1", "hwmon", "hwmon4", "device"), "../../../coretemp.1");

        TemperatureSensor sensor = Assert.Single(TemperatureSensorDiscovery.Discover(tree.Sys, new ProcFileReader()));

        Assert.Equal("chip=coretemp device=coretemp.1 sensor=temp1", Describe(sensor.Labels));
    }

    [Theory]
    [InlineData("47000\n", 47.0)]
    [InlineData("-5000", -5.0)]
    [InlineData("38850", 38.85)]
    public void TryParseCelsius_Millidegrees_ReturnsDegrees(string text, double expected)
    {
        Assert.True(TemperatureSensorDiscovery.TryParseCelsius(text, out double celsius));

        Assert.Equal(expected, celsius);
    }

    [Theory]
    [InlineData("N/A")]
    [InlineData("")]
    [InlineData("12.5")]
    public void TryParseCelsius_NotAnInteger_ReturnsFalse(string text)
    {
        Assert.False(TemperatureSensorDiscovery.TryParseCelsius(text, out _));
    }

    private static string Describe(MetricLabel[] labels) => string.Join(' ', labels.Select(l => l.Key + "=" + l.Value));
}
