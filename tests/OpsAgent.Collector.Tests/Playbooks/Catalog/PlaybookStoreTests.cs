using Microsoft.Extensions.Logging.Abstractions;
using OpsAgent.Collector.Playbooks;
using OpsAgent.Collector.Playbooks.Catalog;
using static OpsAgent.Collector.Tests.Playbooks.Engine.EngineHarness;

namespace OpsAgent.Collector.Tests.Playbooks.Catalog;

public sealed class PlaybookStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "opsagent-playbook-store-tests", Guid.NewGuid().ToString("N"));
    private readonly PlaybookCounters _counters = new();

    [Fact]
    public void Reload_MixedDirectory_LoadsValidFilesAndReportsTheRest()
    {
        Directory.CreateDirectory(_directory);
        Write("a.yaml", Playbook("alpha"));
        Write("b.yml", Playbook("beta"));
        Write("c.yaml", Playbook("alpha").Replace("metric: system.cpu.*", "metric: system.disk.*", StringComparison.Ordinal));
        Write("d.yaml", "name: delta\nmatch: { kind: incident_opened }\nactions: [ { restart_service: { service: nginx } } ]\nguards: { cooldwon: 1h }\n");
        Write("notes.txt", "not a playbook");
        Write(".alpha.yaml.1234.tmp", "half a file");
        Write(".hidden.yaml", Playbook("hidden"));

        PlaybookStore store = NewStore();
        PlaybookLoadReport report = store.Reload();

        Assert.Equal(["alpha", "beta"], store.Playbooks.Select(p => p.Name));
        Assert.Equal(["alpha", "beta"], report.Added);
        Assert.Equal(Path.Combine(_directory, "a.yaml"), store.Find("alpha")!.File);
        Assert.Equal([Path.Combine(_directory, "c.yaml"), Path.Combine(_directory, "d.yaml")], report.Invalid.Select(i => i.File));
        Assert.Contains("already defined in", report.Invalid[0].Problems.Single().Message, StringComparison.Ordinal);
        Assert.Equal("4:11: guards.cooldwon: unknown key 'cooldwon'. Did you mean 'cooldown'? Keys allowed here: cooldown, budget, approval_required, approval_timeout, dry_run, circuit_breaker.",
            report.Invalid[1].Problems.Single().ToString());
        Assert.False(report.Invalid[1].KeptPrevious);
    }

    [Fact]
    public void Reload_ValidFileBrokenByAnEdit_KeepsItsLastValidVersion()
    {
        Directory.CreateDirectory(_directory);
        Write("a.yaml", Playbook("alpha"));
        PlaybookStore store = NewStore();
        store.Reload();
        string original = store.Find("alpha")!.Playbook.Source;

        Write("a.yaml", Playbook("alpha").Replace("cooldown: 0s", "cooldown: 5 minutes", StringComparison.Ordinal));
        PlaybookLoadReport broken = store.Reload();

        Assert.Equal(original, store.Find("alpha")!.Playbook.Source);
        Assert.True(broken.Invalid.Single().KeptPrevious);
        Assert.Empty(broken.Changed);

        Write("a.yaml", Playbook("alpha", guards: "cooldown: 5m"));
        PlaybookLoadReport fixedReport = store.Reload();
        Assert.Empty(fixedReport.Invalid);
        Assert.Equal(["alpha"], fixedReport.Changed);
        Assert.Equal(TimeSpan.FromMinutes(5), store.Find("alpha")!.Playbook.Guards.Cooldown);

        File.Delete(Path.Combine(_directory, "a.yaml"));
        Assert.Equal(["alpha"], store.Reload().Removed);
        Assert.Empty(store.Playbooks);
    }

    [Fact]
    public void Apply_NewChangedSameAndInvalid_WritesOnlyWhatChanged()
    {
        PlaybookStore store = NewStore();
        store.EnsureLoaded();

        PlaybookApplyResult created = store.Apply(Playbook("alpha"));
        Assert.Equal(PlaybookApplyOutcome.Created, created.Outcome);
        Assert.Equal(Path.Combine(_directory, "alpha.yaml"), created.File);
        Assert.Equal(Playbook("alpha"), File.ReadAllText(created.File!));

        Assert.Equal(PlaybookApplyOutcome.Unchanged, store.Apply(Playbook("alpha")).Outcome);

        PlaybookApplyResult invalid = store.Apply("name: alpha\nmatch: {}\n");
        Assert.Equal(PlaybookApplyOutcome.Invalid, invalid.Outcome);
        Assert.NotEmpty(invalid.Problems);
        Assert.Equal(Playbook("alpha"), File.ReadAllText(created.File!));

        string edited = Playbook("alpha", guards: "cooldown: 10m");
        PlaybookApplyResult replaced = store.Apply(edited);
        Assert.Equal(PlaybookApplyOutcome.Replaced, replaced.Outcome);
        Assert.Equal(edited, File.ReadAllText(created.File!));
        Assert.Equal(TimeSpan.FromMinutes(10), store.Find("alpha")!.Playbook.Guards.Cooldown);
        Assert.Equal(["alpha.yaml"], Directory.EnumerateFileSystemEntries(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Apply_PlaybookLivingInAnotherFile_ReplacesThatFile()
    {
        Directory.CreateDirectory(_directory);
        Write("legacy-name.yml", Playbook("alpha"));
        PlaybookStore store = NewStore();
        store.Reload();

        PlaybookApplyResult result = store.Apply(Playbook("alpha", guards: "cooldown: 1m"));

        Assert.Equal(Path.Combine(_directory, "legacy-name.yml"), result.File);
        Assert.False(File.Exists(Path.Combine(_directory, "alpha.yaml")));
        Assert.Single(store.Reload().Loaded);
    }

    [Fact]
    public void Apply_FileNameTakenByAnotherPlaybook_IsRefused()
    {
        Directory.CreateDirectory(_directory);
        Write("alpha.yaml", Playbook("beta"));
        PlaybookStore store = NewStore();
        store.Reload();

        PlaybookApplyResult result = store.Apply(Playbook("alpha"));

        Assert.Equal(PlaybookApplyOutcome.Invalid, result.Outcome);
        Assert.Contains("already holds playbook 'beta'", result.Problems.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_ExistingAndMissing_DeletesTheFileOrSaysNo()
    {
        PlaybookStore store = NewStore();
        store.Apply(Playbook("alpha"));

        Assert.True(store.Remove("alpha"));
        Assert.False(File.Exists(Path.Combine(_directory, "alpha.yaml")));
        Assert.Empty(store.Playbooks);
        Assert.False(store.Remove("alpha"));
    }

    [Fact]
    public void Apply_DirectoryCannotBeCreated_ThrowsAnErrorNamingTheDirectory()
    {
        // A regular file where the directory should be: fails for every user, root included.
        Directory.CreateDirectory(Path.GetDirectoryName(_directory)!);
        File.WriteAllText(_directory, "in the way");
        try
        {
            PlaybookStore store = NewStore();
            store.EnsureLoaded();
            IOException error = Assert.Throws<IOException>(() => store.Apply(Playbook("alpha")));
            Assert.StartsWith($"Could not write playbook file {Path.Combine(_directory, "alpha.yaml")}", error.Message, StringComparison.Ordinal);
            Assert.Contains($"can write {_directory}", error.Message, StringComparison.Ordinal);
            Assert.Empty(store.Playbooks);
        }
        finally
        {
            File.Delete(_directory);
        }
    }

    [Fact]
    public void Reload_DirectoryGoneUnreadable_KeepsThePlaybooksInForce()
    {
        PlaybookStore store = NewStore();
        store.Apply(Playbook("alpha"));
        Directory.Delete(_directory, recursive: true);
        File.WriteAllText(_directory, "a file where the directory was");
        try
        {
            PlaybookLoadReport report = store.Reload();

            Assert.Equal(["alpha"], store.Playbooks.Select(p => p.Name));
            Assert.Empty(report.Removed);
        }
        finally
        {
            File.Delete(_directory);
        }
    }

    [Fact]
    public void Validate_Text_ReportsWithoutWriting()
    {
        Assert.True(PlaybookStore.Validate(Playbook("alpha")).IsValid);
        Assert.False(PlaybookStore.Validate("name: x").IsValid);
        Assert.False(Directory.Exists(_directory));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private PlaybookStore NewStore() =>
        new(Microsoft.Extensions.Options.Options.Create(new PlaybookOptions { Directory = _directory }), _counters, NullLogger<PlaybookStore>.Instance);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_directory, name), text);
}
