using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpsAgent.Cli.Invocation;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OpsAgent.Cli.Output;

/// <summary>
/// Where a command writes its result. Tables go through Spectre.Console, JSON documents are written plainly;
/// neither carries ANSI escapes unless stdout is an interactive terminal without NO_COLOR (and JSON never does). Warnings and notes
/// go to stderr so that a pipeline reading stdout only sees the result.
/// </summary>
internal sealed class CommandOutput
{
    // Redirected output is never wrapped: a table row stays one line for grep and awk.
    private const int UnwrappedWidth = 4096;

    private static readonly JsonWriterOptions JsonWriterOptions = new()
    {
        Indented = true,
        // Label values are user text (paths, unicode host names); keep them readable instead of \uXXXX-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly CliRuntime _runtime;
    private readonly bool _colours;

    public CommandOutput(CliRuntime runtime, OutputFormat format)
    {
        _runtime = runtime;
        Format = format;
        _colours = runtime.OutIsTerminal && string.IsNullOrEmpty(runtime.GetEnvironmentVariable("NO_COLOR"));
    }

    public OutputFormat Format { get; }

    public TextWriter Error => _runtime.Error;

    /// <summary>A table in the house style: no borders, upper-case headers, two spaces between columns.</summary>
    public static Table CreateTable(params ReadOnlySpan<string> headers)
    {
        var table = new Table { Border = TableBorder.None, ShowHeaders = true };
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header.ToUpperInvariant(), new Style(decoration: Decoration.Bold)))
            {
                NoWrap = true,
                Padding = new Padding(0, 0, 2, 0),
            });
        }

        return table;
    }

    /// <summary>Adds a row of plain strings; they are never read as Spectre markup (label values may contain '[').</summary>
    public static void AddRow(Table table, params ReadOnlySpan<string> cells)
    {
        var renderables = new IRenderable[cells.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            renderables[i] = new Text(cells[i]);
        }

        table.AddRow(renderables);
    }

    /// <summary>
    /// Renders a table or grid to stdout. Lines lose the padding Spectre adds after the last column, so that
    /// redirected output has no trailing blanks.
    /// </summary>
    public void Write(IRenderable renderable)
    {
        using var buffer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = _colours ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = _colours ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(buffer),
        });
        console.Profile.Width = _runtime.TerminalWidth ?? UnwrappedWidth;
        console.Profile.Capabilities.Unicode = true;
        console.Write(renderable);

        foreach (var line in buffer.ToString().Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed.Length > 0)
            {
                _runtime.Out.Write(trimmed);
                _runtime.Out.Write('\n');
            }
        }

        _runtime.Out.Flush();
    }

    public void WriteLine(string text)
    {
        _runtime.Out.Write(text);
        _runtime.Out.Write('\n');
    }

    public void WriteJson<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        _runtime.Out.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        _runtime.Out.Write('\n');
        _runtime.Out.Flush();
    }

    /// <summary>One compact JSON document on one line, flushed at once (JSON lines for streaming commands such as watch).</summary>
    public void WriteJsonLine<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        _runtime.Out.Write(JsonSerializer.Serialize(value, typeInfo));
        _runtime.Out.Write('\n');
        _runtime.Out.Flush();
    }

    /// <summary>Pushes what was written to stdout out now (streaming commands write line by line).</summary>
    public void Flush() => _runtime.Out.Flush();

    /// <summary>
    /// The answer of a list command: the JSON document with <c>-o json</c>; else <paramref name="empty"/> when there is
    /// nothing, or the table; and a warning on stderr when the collector cut the list at the limit.
    /// </summary>
    public void WriteList<TJson>(
        TJson json, JsonTypeInfo<TJson> typeInfo, int count, bool truncated, string empty, Func<IRenderable> table, string truncatedWarning)
    {
        if (Format == OutputFormat.Json)
        {
            WriteJson(json, typeInfo);
        }
        else if (count == 0)
        {
            WriteLine(empty);
        }
        else
        {
            Write(table());
        }

        if (truncated)
        {
            Warn(truncatedWarning);
        }
    }

    /// <summary>A warning for a person (e.g. a truncated answer), on stderr.</summary>
    public void Warn(string message) => Error.WriteLine("opsctl: warning: " + message);
}
