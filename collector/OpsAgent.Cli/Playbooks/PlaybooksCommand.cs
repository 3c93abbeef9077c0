using System.CommandLine;
using System.Text;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;
// OpsAgent.Protocol has a Command message (commands sent to agents); here Command is a CLI command.
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.Playbooks;

/// <summary>
/// `opsctl playbooks list`, `opsctl playbooks validate FILE`, `opsctl playbooks apply FILE` (admin) and
/// `opsctl playbooks delete NAME` (admin). The collector checks the text with the same parser it loads files with, so
/// what validates is what loads; problems are printed as FILE:LINE:COLUMN: PATH: MESSAGE.
/// </summary>
internal static class PlaybooksCommand
{
    /// <summary>The collector accepts at most this many characters per playbook.</summary>
    public const int MaxCharacters = 64 * 1024;

    public static Command Create(CliHost host)
    {
        var command = new Command("playbooks", "Self-healing playbooks: list them with their runs and guards; validate, apply or delete one");
        command.Subcommands.Add(CreateList(host));
        command.Subcommands.Add(CreateValidate(host));
        command.Subcommands.Add(CreateApply(host));
        command.Subcommands.Add(CreateDelete(host));
        return command;
    }

    private static Command CreateList(CliHost host)
    {
        var command = new Command("list", "The loaded playbooks: what they match and do, active runs, last outcome, circuit breakers, skips; and files that did not load");
        host.SetAction(command, async context =>
        {
            ListPlaybooksResponse response = await context.Admin.ListPlaybooksAsync(new ListPlaybooksRequest(), cancellationToken: context.CancellationToken);
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(
                    new PlaybookListJson(response.Directory, [.. response.Playbooks.Select(PlaybookJson.From)], [.. response.Invalid.Select(InvalidPlaybookJson.From)]),
                    PlaybooksJsonContext.Default.PlaybookListJson);
                return ExitCodes.Ok;
            }

            if (response.Playbooks.Count == 0)
            {
                context.Output.WriteLine($"No playbook is loaded from {response.Directory}. Add one with: opsctl playbooks apply FILE (examples: install/linux/playbooks/).");
            }
            else
            {
                context.Output.Write(PlaybooksView.List(response.Playbooks, context.Time.GetUtcNow()));
            }

            foreach (InvalidPlaybookFile invalid in response.Invalid)
            {
                string kept = invalid.KeptPrevious ? " (its last valid version stays in force)" : " (not loaded)";
                context.Output.Warn($"{invalid.File} is invalid{kept}:");
                foreach (PlaybookProblemInfo problem in invalid.Problems)
                {
                    context.Output.Error.WriteLine($"{invalid.File}:{PlaybookProblemJson.Format(problem)}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateValidate(CliHost host)
    {
        var file = FileArgument();
        var command = new Command("validate", "Check a playbook file without applying it; prints every problem with its line and column (exit 1 when invalid)");
        command.Arguments.Add(file);
        host.SetAction(command, async context =>
        {
            string path = context.GetValue(file)!;
            string yaml = Read(path);
            ValidatePlaybookResponse response = await context.Admin.ValidatePlaybookAsync(new ValidatePlaybookRequest { Yaml = yaml }, cancellationToken: context.CancellationToken);
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(
                    new PlaybookCheckJson(response.Valid ? "valid" : "invalid", NullIfEmpty(response.Name), path, null, [.. response.Problems.Select(PlaybookProblemJson.From)]),
                    PlaybooksJsonContext.Default.PlaybookCheckJson);
            }
            else if (response.Valid)
            {
                context.Output.WriteLine($"{path}: playbook {response.Name} is valid.");
            }
            else
            {
                WriteProblems(context, path, response.Problems);
            }

            return response.Valid ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static Command CreateApply(CliHost host)
    {
        var file = FileArgument();
        var command = new Command("apply", "Put a playbook file in force on the collector: new, or replacing the one of that name (role admin; exit 1 when invalid)");
        command.Arguments.Add(file);
        host.SetAction(command, async context =>
        {
            string path = context.GetValue(file)!;
            ApplyPlaybookResponse response = await context.Admin.ApplyPlaybookAsync(new ApplyPlaybookRequest { Yaml = Read(path) }, cancellationToken: context.CancellationToken);
            string outcome = response.Outcome switch
            {
                ApplyPlaybookOutcome.Created => "created",
                ApplyPlaybookOutcome.Replaced => "replaced",
                ApplyPlaybookOutcome.Unchanged => "unchanged",
                _ => "invalid",
            };
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(
                    new PlaybookCheckJson(outcome, NullIfEmpty(response.Name), path, NullIfEmpty(response.File), [.. response.Problems.Select(PlaybookProblemJson.From)]),
                    PlaybooksJsonContext.Default.PlaybookCheckJson);
            }
            else if (outcome == "invalid")
            {
                WriteProblems(context, path, response.Problems);
                context.Output.Error.WriteLine("opsctl: nothing was applied; the playbook in force (if any) is unchanged.");
            }
            else
            {
                context.Output.WriteLine(outcome == "unchanged"
                    ? $"Playbook {response.Name} is already in force with this text ({response.File}); nothing changed."
                    : $"Playbook {response.Name} {outcome} ({response.File} on the collector); it acts on the next matching signal.");
            }

            return outcome == "invalid" ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateDelete(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "The playbook's name, as `opsctl playbooks list` shows it", HelpName = "NAME" };
        var command = new Command("delete", "Delete a playbook from the collector; its active runs are cancelled (role admin)");
        command.Arguments.Add(name);
        host.SetAction(command, async context =>
        {
            DeletePlaybookResponse response = await context.Admin.DeletePlaybookAsync(new DeletePlaybookRequest { Name = context.GetValue(name)! }, cancellationToken: context.CancellationToken);
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(new PlaybookCheckJson("deleted", response.Name, null, NullIfEmpty(response.File), []), PlaybooksJsonContext.Default.PlaybookCheckJson);
            }
            else
            {
                context.Output.WriteLine($"Playbook {response.Name} deleted ({response.File}); its active runs are cancelled.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteProblems(CommandContext context, string path, IEnumerable<PlaybookProblemInfo> problems)
    {
        var list = problems.ToList();
        context.Output.Error.WriteLine($"opsctl: {path} is not a valid playbook ({list.Count} problem(s)):");
        foreach (PlaybookProblemInfo problem in list)
        {
            context.Output.Error.WriteLine($"{path}:{PlaybookProblemJson.Format(problem)}");
        }
    }

    private static Argument<string> FileArgument() =>
        new("file") { Description = "A playbook YAML file (one playbook per file)", HelpName = "FILE" };

    private static string Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw CliException.Usage($"{path} does not exist; give the path of a playbook YAML file.");
            }

            if (info.Length > MaxCharacters * 4L)
            {
                throw CliException.Usage($"{path} is {info.Length} bytes; a playbook may have at most {MaxCharacters} characters. Split it into several playbooks.");
            }

            string text = File.ReadAllText(path, Encoding.UTF8);
            return text.Length > MaxCharacters
                ? throw CliException.Usage($"{path} has {text.Length} characters; a playbook may have at most {MaxCharacters}. Split it into several playbooks.")
                : text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read {path}: {ex.Message}");
        }
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
