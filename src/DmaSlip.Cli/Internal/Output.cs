using System.Text.Json;
using Spectre.Console;

namespace DmaSlip.Cli.Internal;

/// <summary>Where a command writes: JSON on stdout with <c>--json</c>, Spectre tables otherwise; progress goes to stderr.</summary>
internal sealed class Output
{
    public static JsonSerializerOptions JsonOptions => JsonFormat.Options;

    private readonly TextWriter _stdout;
    private readonly Lazy<IAnsiConsole> _console;
    private readonly Lazy<IAnsiConsole> _progress;

    // the consoles are made on first use: a --json run (and a short one without progress) never needs them
    public Output(TextWriter stdout, TextWriter stderr, bool json)
    {
        _stdout = stdout;
        Json = json;
        _console = new(() => AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        }));
        _progress = new(() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) }));
    }

    public bool Json { get; }

    /// <summary>Human output (tables, rules, markup) on stdout.</summary>
    public IAnsiConsole Console => _console.Value;

    /// <summary>Progress bars and status on stderr, so stdout stays clean.</summary>
    public IAnsiConsole Progress => _progress.Value;

    /// <summary>Writes JSON already rendered (e.g. by a writer that needs no reflection over anonymous types).</summary>
    public void WriteJsonText(string json) => _stdout.WriteLine(json);

    public void WriteJson(object value) => _stdout.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
}
