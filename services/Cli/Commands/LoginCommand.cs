using System.CommandLine;
using SupplyChainMesh.Cli.Api;

namespace SupplyChainMesh.Cli.Commands;

/// <summary><c>scm login --token T [--server URL]</c>: stores the API token (and server) in the config file, mode 0600.</summary>
internal static class LoginCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var token = new Option<string>("--token") { Description = "API token (from 'scm token create' or the gateway)", Required = true };
        var server = new Option<string?>("--server") { Description = "Gateway URL to remember (default: keep the stored one)" };
        var command = new Command("login", "Store an API token for the gateway in ~/.config/scm/config.json (readable by you only).\n\n" + ExitCodes.ApiHelpText)
        {
            token, server,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var value = parse.GetValue(token)!.Trim();
            if (value.Length == 0 || value.Any(char.IsWhiteSpace))
            {
                await stderr.WriteLineAsync("scm: --token must be a non-empty token without spaces.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var directory = environment.ResolveConfigDirectory();
            try
            {
                var config = await ScmConfig.LoadAsync(directory, ct).ConfigureAwait(false);
                var chosen = parse.GetValue(server) is { } explicitServer ? ApiCommandRunner.ResolveServer(explicitServer, environment, config).ToString() : config.Server;
                await (config with { Token = value, Server = chosen }).SaveAsync(directory, ct).ConfigureAwait(false);
                await stdout.WriteLineAsync($"Token stored in {Path.Combine(directory, ScmConfig.FileName)} for {chosen ?? ApiOptions.DefaultServer}.").ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is UsageException or FormatException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"scm: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        });
        return command;
    }
}
