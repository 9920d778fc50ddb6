using System.CommandLine;
using SupplyChainMesh.Cli.Commands;
using SupplyChainMesh.Cli.Scanning;

namespace SupplyChainMesh.Cli;

/// <summary>The <c>scm</c> command tree, runnable in process with any stdout/stderr (tests) or from <c>Program</c>.</summary>
internal static class ScmApp
{
    public static RootCommand CreateRoot(CliEnvironment environment)
    {
        var root = new RootCommand("scm: SupplyChainMesh command line. Scans container images layer by layer, and talks to the mesh's API.\n\n"
            + ExitCodes.ScanHelpText + "\n" + ExitCodes.ApiHelpText)
        {
            ScanCommand.Create(environment),
            LoginCommand.Create(environment),
            CatalogueCommands.Images(environment),
            CatalogueCommands.Image(environment),
            PolicyCommands.Policy(environment),
            CatalogueCommands.Promotions(environment),
            PolicyCommands.Exceptions(environment),
            TokenCommands.Create(environment),
        };
        return root;
    }

    /// <summary>Parses and runs. A parse error is usage (exit 2), printed on stderr, never on stdout.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken ct = default)
    {
        var parse = CreateRoot(environment).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await stderr.WriteLineAsync($"scm: {error.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync("Run 'scm --help' (or 'scm COMMAND --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, ct).ConfigureAwait(false);
    }
}
