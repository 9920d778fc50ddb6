using System.CommandLine;
using System.Text.Json.Nodes;

namespace SupplyChainMesh.Cli.Commands;

/// <summary><c>scm token create | list | revoke</c>: API tokens for tools and CI (gateway).</summary>
internal static class TokenCommands
{
    private static readonly string[] TokenColumns = ["id", "name", "createdAt", "expiresAt", "lastUsedAt", "revokedAt", "owner"];

    public static Command Create(CliEnvironment environment)
    {
        var name = new Argument<string>("NAME") { Description = "What the token is for (e.g. ci-dev-app)" };
        var days = new Option<int?>("--expires-in-days") { Description = "Lifetime in days (default: the gateway's)" };
        var create = new Command("create", "Create an API token. The secret is shown once: store it now.\n\n" + ExitCodes.ApiHelpText) { name, days };
        create.WithApiAction(new ApiOptions(), environment, async run =>
        {
            var request = new JsonObject { ["name"] = run.Parse.GetValue(name) };
            if (run.Parse.GetValue(days) is { } d)
            {
                if (d <= 0) throw new UsageException("--expires-in-days must be positive.");
                request["expiresAt"] = DateTimeOffset.UtcNow.AddDays(d);
            }
            var answer = await run.Client.CreateTokenAsync(request, run.Cancellation).ConfigureAwait(false);
            if (run.Json) await run.WriteJsonAsync(answer).ConfigureAwait(false);
            else
            {
                await run.Stdout.WriteLineAsync($"Token {JsonTable.Text(answer, "id")} ({run.Parse.GetValue(name)}) created. It is shown once:").ConfigureAwait(false);
                await run.Stdout.WriteLineAsync(JsonTable.Text(answer, "token", "secret", "value") ?? "(the gateway returned no secret)").ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });

        var list = new Command("list", "List API tokens (never their secrets).\n\n" + ExitCodes.ApiHelpText).WithApiAction(new ApiOptions(), environment, async run =>
        {
            await run.PrintAsync(await run.Client.ListTokensAsync(run.Cancellation).ConfigureAwait(false), TokenColumns).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var id = new Argument<string>("ID") { Description = "The token's id (see 'scm token list')" };
        var revoke = new Command("revoke", "Revoke an API token; it stops working at once.\n\n" + ExitCodes.ApiHelpText) { id };
        revoke.WithApiAction(new ApiOptions(), environment, async run =>
        {
            await run.Client.RevokeTokenAsync(run.Parse.GetValue(id)!, run.Cancellation).ConfigureAwait(false);
            if (!run.Json) await run.Stdout.WriteLineAsync($"Token {run.Parse.GetValue(id)} revoked.").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        return new Command("token", "API tokens for tools and CI.") { create, list, revoke };
    }
}
