using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using SupplyChainMesh.Cli.Api;

namespace SupplyChainMesh.Cli.Commands;

/// <summary><c>scm images</c>, <c>scm image REF</c> and <c>scm promotions</c>: what the mesh knows about images.</summary>
internal static class CatalogueCommands
{
    public static Command Images(CliEnvironment environment)
    {
        var repository = new Option<string?>("--repository", "-r") { Description = "Only this repository" };
        var command = new Command("images", "List the image catalogue: repository, tag, digest, when pushed.\n\n" + ExitCodes.ApiHelpText) { repository };
        return command.WithApiAction(new ApiOptions(), environment, async run =>
        {
            var answer = await run.Client.ListImagesAsync(run.Parse.GetValue(repository), run.Cancellation).ConfigureAwait(false);
            await run.PrintAsync(answer, "repository", "tag", "digest", "pushedAt", "updatedAt", "registry").ConfigureAwait(false);
            return ExitCodes.Success;
        });
    }

    public static Command Promotions(CliEnvironment environment)
    {
        var repository = new Option<string?>("--repository", "-r") { Description = "Only promotions from or to this repository" };
        var digest = new Option<string?>("--digest") { Description = "Only this manifest digest" };
        var command = new Command("promotions", "List promotions: source, target, digest, when, outcome.\n\n" + ExitCodes.ApiHelpText) { repository, digest };
        return command.WithApiAction(new ApiOptions(), environment, async run =>
        {
            var answer = await run.Client.ListPromotionsAsync(run.Parse.GetValue(repository), run.Parse.GetValue(digest), run.Cancellation).ConfigureAwait(false);
            await run.PrintAsync(answer, "sourceRepository", "targetRepository", "targetTag", "digest", "state", "status", "policyName", "at", "reason").ConfigureAwait(false);
            return ExitCodes.Success;
        });
    }

    public static Command Image(CliEnvironment environment)
    {
        var reference = new Argument<string>("REF") { Description = "REPO[:TAG] or REPO@sha256:... (a registry host in front is allowed)" };
        var command = new Command("image", "Show one image: its scan, layers, packages per layer and findings per layer.\n\n" + ExitCodes.ApiHelpText) { reference };
        return command.WithApiAction(new ApiOptions(), environment, async run =>
        {
            var name = ImageName.Parse(run.Parse.GetValue(reference)!);
            var view = await ImageView.LoadAsync(run.Client, name, run.Cancellation).ConfigureAwait(false);
            if (run.Json) await run.WriteJsonAsync(view.ToJson()).ConfigureAwait(false);
            else await view.WriteTableAsync(run.Stdout).ConfigureAwait(false);
            return ExitCodes.Success;
        });
    }

    /// <summary>Everything the services say about one image, gathered from the documented paths.</summary>
    private sealed record ImageView(string Repository, string Digest, JsonElement? Scan, JsonElement? Report, JsonElement? Details, IReadOnlyList<(string Digest, JsonElement? Analysis)> Layers)
    {
        public static async Task<ImageView> LoadAsync(ScmApiClient client, ImageName name, CancellationToken ct)
        {
            var digest = name.Digest ?? await ResolveTagAsync(client, name, ct).ConfigureAwait(false);
            var scans = await OrNotFound(client.ListScansAsync(name.Repository, digest, ct)).ConfigureAwait(false);
            var scan = scans is { } s && JsonTable.Rows(s) is { Count: > 0 } scanRows ? scanRows[0] : scans is { ValueKind: JsonValueKind.Object } ? scans : null;
            var report = await OrNotFound(client.ImageReportAsync(name.Repository, digest, ct)).ConfigureAwait(false);
            var reportId = report is { } r ? JsonTable.Text(r, "reportId", "id") : null;
            var details = reportId is null ? null : await OrNotFound(client.ReportAsync(reportId, ct)).ConfigureAwait(false);
            var layers = new List<(string, JsonElement?)>();
            foreach (var layer in LayerDigests(details, scan))
                layers.Add((layer, await OrNotFound(client.LayerAnalysisAsync(layer, ct)).ConfigureAwait(false)));
            return new ImageView(name.Repository, digest, scan, report, details, layers);
        }

        private static async Task<string> ResolveTagAsync(ScmApiClient client, ImageName name, CancellationToken ct)
        {
            var catalogue = await client.ListImagesAsync(name.Repository, ct).ConfigureAwait(false);
            var row = (JsonTable.Rows(catalogue) ?? []).FirstOrDefault(row =>
                JsonTable.Text(row, "repository") == name.Repository && JsonTable.Text(row, "tag") == name.Tag);
            return row.ValueKind == JsonValueKind.Object && JsonTable.Text(row, "digest") is { } digest
                ? digest
                : throw new ApiRefusedException(HttpStatusCode.NotFound, $"{name} is not in the image catalogue.");
        }

        private static async Task<JsonElement?> OrNotFound(Task<JsonElement> call)
        {
            try
            {
                var answer = await call.ConfigureAwait(false);
                return answer.ValueKind == JsonValueKind.Undefined ? null : answer;
            }
            catch (ApiRefusedException ex) when (ex.Status == HttpStatusCode.NotFound)
            {
                return null; // not scanned or not assessed yet: shown as such
            }
        }

        /// <summary>Layer digests, bottom first, from the report or the scan (<c>layers</c>: digests or objects with one).</summary>
        private static List<string> LayerDigests(params JsonElement?[] sources)
        {
            foreach (var source in sources)
            {
                if (source is not { ValueKind: JsonValueKind.Object } s || !JsonTable.TryGet(s, "layers", out var layers) || layers.ValueKind != JsonValueKind.Array) continue;
                var digests = layers.EnumerateArray()
                    .Select(l => l.ValueKind == JsonValueKind.String ? l.GetString() : JsonTable.Text(l, "digest", "layerDigest"))
                    .OfType<string>().ToList();
                if (digests.Count > 0) return digests;
            }
            return [];
        }

        public List<JsonElement> Findings() =>
            Details is { } d && JsonTable.TryGet(d, "findings", out var findings) && findings.ValueKind == JsonValueKind.Array ? [.. findings.EnumerateArray()] : [];

        public JsonElement ToJson()
        {
            var json = new JsonObject
            {
                ["repository"] = Repository,
                ["digest"] = Digest,
                ["scan"] = Node(Scan),
                ["report"] = Node(Report),
                ["details"] = Node(Details),
                ["layers"] = new JsonArray([.. Layers.Select(l => (JsonNode)new JsonObject { ["digest"] = l.Digest, ["analysis"] = Node(l.Analysis) })]),
            };
            return JsonTable.ToElement(json);
        }

        private static JsonNode? Node(JsonElement? element) => element is { } e ? JsonNode.Parse(e.GetRawText()) : null;

        public async Task WriteTableAsync(TextWriter output)
        {
            var console = PlainConsole.Create(output);
            console.WriteLine($"Image:   {Repository}@{Digest}");
            console.WriteLine(Scan is { } scan
                ? $"Scan:    {JsonTable.Text(scan, "state", "status")} ({JsonTable.Text(scan, "layersDone")}/{JsonTable.Text(scan, "layersTotal")} layers){(JsonTable.Text(scan, "failureReason") is { } why ? " " + why : "")}"
                : "Scan:    (not scanned yet)");
            console.WriteLine(Report is { } report
                ? $"Report:  {JsonTable.Text(report, "reportId", "id")} {Counts(report)}"
                : "Report:  (not assessed yet)");
            console.WriteLine();

            var findings = Findings();
            var layers = new Table().Title("Layers").AddColumns("#", "Digest", "Packages", "Findings");
            for (var i = 0; i < Layers.Count; i++)
            {
                var (digest, analysis) = Layers[i];
                var packages = analysis is { } a && JsonTable.TryGet(a, "packages", out var p) && p.ValueKind == JsonValueKind.Array ? p.GetArrayLength().ToString() : "?";
                layers.AddRow(i.ToString(), Markup.Escape(digest), packages, findings.Count(f => LayerOf(f) == digest).ToString());
            }
            if (Layers.Count > 0) console.Write(layers);

            foreach (var (digest, analysis) in Layers)
            {
                if (analysis is { } a && JsonTable.TryGet(a, "packages", out var packages) && packages.GetArrayLength() > 0)
                    JsonTable.Write(console, packages, ["type", "name", "version", "path"], $"Packages of {digest}");
                var inLayer = findings.Where(f => LayerOf(f) == digest).ToList();
                if (inLayer.Count > 0)
                    JsonTable.Write(console, JsonTable.ToArray(inLayer), FindingColumns, $"Findings of {digest}");
            }
            var elsewhere = findings.Where(f => LayerOf(f) is not { } l || Layers.All(x => x.Digest != l)).ToList();
            if (elsewhere.Count > 0) JsonTable.Write(console, JsonTable.ToArray(elsewhere), FindingColumns, "Findings");
            await output.FlushAsync().ConfigureAwait(false);
        }

        private static readonly string[] FindingColumns =
            ["vulnerabilityId", "package.name", "packageName", "installedVersion", "fixedVersion", "severity", "knownExploited"];

        private static readonly string[] CountFields = ["critical", "high", "medium", "low", "kev", "knownExploited", "fixable", "total"];

        private static string? LayerOf(JsonElement finding) => JsonTable.Text(finding, "layerDigest", "layer.digest");

        private static string Counts(JsonElement report) =>
            string.Join(", ", CountFields
                .Where(k => JsonTable.TryGet(report, k, out var v) && v.ValueKind == JsonValueKind.Number)
                .Select(k => $"{k}: {JsonTable.Text(report, k)}"));
    }
}
