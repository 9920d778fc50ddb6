using Spectre.Console;

namespace SupplyChainMesh.Cli;

/// <summary>A Spectre console over a <see cref="TextWriter"/>: no colours or cursor moves, wide enough not to wrap
/// digests, so tables read the same in a terminal, a pipe and a test.</summary>
internal static class PlainConsole
{
    public static IAnsiConsole Create(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Math.Max(console.Profile.Width, 220);
        return console;
    }
}
