using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace SupplyChainMesh.Cli.Commands;

/// <summary><c>scm policy list | apply -f FILE | dry-run REF</c> and <c>scm exceptions list | add | remove</c> (PolicyEngine).</summary>
internal static class PolicyCommands
{
    private static readonly string[] PolicyColumns = ["id", "name", "sourceRepository", "enabled", "order", "mode"];
    private static readonly string[] LineColumns = ["policyName", "reasons"];
    private static readonly string[] ExceptionColumns = ["id", "vulnerabilityId", "scope", "target", "packagePurl", "reason", "expiresAt", "createdBy"];

    public static Command Policy(CliEnvironment environment)
    {
        var list = new Command("list", "List promotion policies.\n\n" + ExitCodes.ApiHelpText).WithApiAction(new ApiOptions(), environment, async run =>
        {
            await run.PrintAsync(await run.Client.ListPoliciesAsync(run.Cancellation).ConfigureAwait(false), PolicyColumns).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var file = new Option<FileInfo>("--file", "-f") { Description = "Policy JSON; with an \"id\" it replaces that policy, without one it creates a policy", Required = true };
        var apply = new Command("apply", "Create or replace a policy from a JSON file.\n\n" + ExitCodes.ApiHelpText) { file };
        apply.WithApiAction(new ApiOptions(), environment, async run =>
        {
            var policy = await ReadJsonObjectAsync(run.Parse.GetValue(file)!, run.Cancellation).ConfigureAwait(false);
            var id = policy["id"]?.GetValue<JsonElement>().ToString();
            var answer = id is { Length: > 0 }
                ? await run.Client.UpdatePolicyAsync(id, policy, run.Cancellation).ConfigureAwait(false)
                : await run.Client.CreatePolicyAsync(policy, run.Cancellation).ConfigureAwait(false);
            if (run.Json) await run.WriteJsonAsync(answer).ConfigureAwait(false);
            else await run.Stdout.WriteLineAsync($"Policy {JsonTable.Text(answer, "id") ?? id} {(id is { Length: > 0 } ? "replaced" : "created")}.").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var reference = new Argument<string>("REF") { Description = "REPO[:TAG] or REPO@sha256:..." };
        var exitCode = new Option<int>("--exit-code") { Description = "Exit with this code when a policy would be violated (default 0)" };
        var dryRun = new Command("dry-run", "Evaluate the policies against an image without acting: what would be satisfied, violated, skipped.\n\n" + ExitCodes.ApiHelpText)
        {
            reference, exitCode,
        };
        dryRun.WithApiAction(new ApiOptions(), environment, async run =>
        {
            var name = ImageName.Parse(run.Parse.GetValue(reference)!);
            var request = new JsonObject { ["reference"] = name.ToString(), ["repository"] = name.Repository, ["tag"] = name.Tag, ["digest"] = name.Digest };
            var answer = await run.Client.DryRunAsync(request, run.Cancellation).ConfigureAwait(false);
            if (run.Json) await run.WriteJsonAsync(answer).ConfigureAwait(false);
            else
            {
                var console = PlainConsole.Create(run.Stdout);
                console.WriteLine($"Image: {JsonTable.Text(answer, "image") ?? name.ToString()}");
                foreach (var (field, title) in new[] { ("wouldSatisfy", "Would satisfy"), ("wouldViolate", "Would violate"), ("notApplicable", "Not applicable") })
                {
                    if (JsonTable.TryGet(answer, field, out var lines)) JsonTable.Write(console, lines, LineColumns, title);
                }
                if (JsonTable.TryGet(answer, "suppressedFindings", out var suppressed) && suppressed.GetArrayLength() > 0)
                    JsonTable.Write(console, suppressed, [], "Suppressed findings");
                await run.Stdout.FlushAsync().ConfigureAwait(false);
            }
            var violated = JsonTable.TryGet(answer, "wouldViolate", out var violations) && violations.ValueKind == JsonValueKind.Array && violations.GetArrayLength() > 0;
            return violated && run.Parse.GetValue(exitCode) != 0 ? run.Parse.GetValue(exitCode) : ExitCodes.Success;
        });

        return new Command("policy", "Promotion policies.") { list, apply, dryRun };
    }

    public static Command Exceptions(CliEnvironment environment)
    {
        var list = new Command("list", "List vulnerability exceptions.\n\n" + ExitCodes.ApiHelpText).WithApiAction(new ApiOptions(), environment, async run =>
        {
            await run.PrintAsync(await run.Client.ListExceptionsAsync(run.Cancellation).ConfigureAwait(false), ExceptionColumns).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var vulnerability = new Argument<string>("VULNERABILITY") { Description = "CVE-..., GHSA-... (any id or alias of the finding)" };
        var reason = new Option<string>("--reason") { Description = "Why the risk is accepted (recorded and audited)", Required = true };
        var scope = new Option<string>("--scope") { Description = "global, repository or image", DefaultValueFactory = _ => "global" };
        scope.AcceptOnlyFromAmong("global", "repository", "image");
        var target = new Option<string?>("--target") { Description = "Repository pattern (scope repository) or manifest digest (scope image)" };
        var package = new Option<string?>("--package") { Description = "Only for this package purl" };
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When the exception stops applying (ISO 8601)" };
        var add = new Command("add", "Accept a vulnerability: globally, for a repository or for one image.\n\n" + ExitCodes.ApiHelpText)
        {
            vulnerability, reason, scope, target, package, expires,
        };
        add.WithApiAction(new ApiOptions(), environment, async run =>
        {
            var chosenScope = run.Parse.GetValue(scope)!;
            var chosenTarget = run.Parse.GetValue(target);
            if (chosenScope != "global" && string.IsNullOrWhiteSpace(chosenTarget)) throw new UsageException($"--scope {chosenScope} needs --target.");
            var request = new JsonObject
            {
                ["vulnerabilityId"] = run.Parse.GetValue(vulnerability),
                ["scope"] = char.ToUpperInvariant(chosenScope[0]) + chosenScope[1..],
                ["target"] = chosenTarget,
                ["packagePurl"] = run.Parse.GetValue(package),
                ["reason"] = run.Parse.GetValue(reason),
                ["expiresAt"] = run.Parse.GetValue(expires),
            };
            var answer = await run.Client.CreateExceptionAsync(request, run.Cancellation).ConfigureAwait(false);
            if (run.Json) await run.WriteJsonAsync(answer).ConfigureAwait(false);
            else await run.Stdout.WriteLineAsync($"Exception {JsonTable.Text(answer, "id")} added for {run.Parse.GetValue(vulnerability)}.").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var id = new Argument<string>("ID") { Description = "The exception's id (see 'scm exceptions list')" };
        var remove = new Command("remove", "Remove an exception.\n\n" + ExitCodes.ApiHelpText) { id };
        remove.WithApiAction(new ApiOptions(), environment, async run =>
        {
            await run.Client.DeleteExceptionAsync(run.Parse.GetValue(id)!, run.Cancellation).ConfigureAwait(false);
            if (!run.Json) await run.Stdout.WriteLineAsync($"Exception {run.Parse.GetValue(id)} removed.").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        return new Command("exceptions", "Vulnerability exceptions (accepted risks).") { list, add, remove };
    }

    private static async Task<JsonObject> ReadJsonObjectAsync(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists) throw new UsageException($"--file: '{file.FullName}' does not exist.");
        try
        {
            await using var stream = file.OpenRead();
            return await JsonNode.ParseAsync(stream, cancellationToken: ct).ConfigureAwait(false) as JsonObject
                ?? throw new UsageException($"--file: '{file.FullName}' must hold one JSON object.");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--file: '{file.FullName}' is not valid JSON: {ex.Message}");
        }
    }
}
