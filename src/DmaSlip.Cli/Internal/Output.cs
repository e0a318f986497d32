using System.Text.Json;
using Spectre.Console;

namespace DmaSlip.Cli.Internal;

/// <summary>Where a command writes: JSON on stdout with <c>--json</c>, Spectre tables otherwise; progress goes to stderr.</summary>
internal sealed class Output
{
    public static JsonSerializerOptions JsonOptions => JsonFormat.Options;

    private readonly TextWriter _stdout;

    public Output(TextWriter stdout, TextWriter stderr, bool json)
    {
        _stdout = stdout;
        Json = json;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        Progress = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
    }

    public bool Json { get; }

    /// <summary>Human output (tables, rules, markup) on stdout.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Progress bars and status on stderr, so stdout stays clean.</summary>
    public IAnsiConsole Progress { get; }

    public void WriteJson(object value) => _stdout.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
}
