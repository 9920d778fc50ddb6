using System.Runtime.CompilerServices;
using System.Text.Json;
using SupplyChainMesh.Analysis.Advisories;

namespace SupplyChainMesh.Analysis.Alpine;

/// <summary>
/// Reads Alpine's secdb (<c>secdb.alpinelinux.org/v3.18/main.json</c>): for each origin (source) package,
/// <c>secfixes</c> maps the first fixed <c>pkgver-rN</c> to the ids it fixed. Each (package, id) becomes an advisory in
/// ecosystem <c>Alpine:v3.18</c> with the range <c>introduced 0, fixed pkgver-rN</c>.
/// <para>
/// The version <c>0</c> is Alpine's way to say the package was never affected (the CVE does not apply to Alpine's
/// build, see the APKBUILD <c>secfixes</c> documentation): those entries produce no advisory. An entry may name
/// several ids at once (<c>"CVE-2021-27219 GHSL-2021-045"</c>): the first is the id, the rest are aliases.
/// </para>
/// </summary>
public sealed class AlpineSecDbParser : IFeedParser
{
    public const string FeedName = "alpine-secdb";

    public string Name => FeedName;

    public async IAsyncEnumerable<Advisory> ParseAsync(Stream content, IFeedProblemSink problems, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(content, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            problems.Problem(new FeedProblem(null, FeedName, $"malformed JSON: {ex.Message}"));
            yield break;
        }
        List<Advisory> advisories;
        using (document)
        {
            advisories = Map(document.RootElement, problems);
        }
        foreach (var advisory in advisories) yield return advisory;
    }

    private static List<Advisory> Map(JsonElement root, IFeedProblemSink problems)
    {
        var output = new List<Advisory>();
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("distroversion", out var distro) || distro.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("packages", out var packages) || packages.ValueKind != JsonValueKind.Array)
        {
            problems.Problem(new FeedProblem(null, FeedName, "not an Alpine secdb document: 'distroversion' or 'packages' missing"));
            return output;
        }
        var ecosystem = "Alpine:" + distro.GetString();
        var index = 0;
        foreach (var entry in packages.EnumerateArray())
        {
            var location = $"{FeedName}/{ecosystem}/packages[{index++}]";
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("pkg", out var pkg) || pkg.ValueKind != JsonValueKind.Object
                || !pkg.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
            {
                problems.Problem(new FeedProblem(null, location, "package entry without pkg.name"));
                continue;
            }
            var name = nameElement.GetString()!;
            if (!pkg.TryGetProperty("secfixes", out var secfixes) || secfixes.ValueKind != JsonValueKind.Object) continue;

            // One id can be listed under two versions (an incomplete fix): the later one is the real fix.
            var fixedBy = new Dictionary<string, (string Fixed, List<string> Aliases)>(StringComparer.Ordinal);
            foreach (var fix in secfixes.EnumerateObject())
            {
                if (fix.Value.ValueKind != JsonValueKind.Array)
                {
                    problems.Problem(new FeedProblem(name, location, $"secfixes '{fix.Name}' is not a list of ids"));
                    continue;
                }
                if (fix.Name == "0") continue;
                foreach (var idElement in fix.Value.EnumerateArray())
                {
                    if (idElement.ValueKind != JsonValueKind.String) continue;
                    var tokens = idElement.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (tokens.Length == 0) continue;
                    // Keep the last version listed: secdb lists versions in ascending order.
                    fixedBy[tokens[0]] = (fix.Name, [.. tokens.Skip(1)]);
                }
            }
            foreach (var (id, (fixedIn, aliases)) in fixedBy)
            {
                output.Add(new Advisory
                {
                    Id = id,
                    Aliases = aliases,
                    Source = FeedName,
                    Affected =
                    [
                        new AffectedPackage
                        {
                            Ecosystem = ecosystem,
                            Name = name,
                            Ranges = [new AffectedRange(RangeType.Ecosystem, [new RangeEvent(RangeEventKind.Introduced, "0"), new RangeEvent(RangeEventKind.Fixed, fixedIn)])],
                        },
                    ],
                });
            }
        }
        return output;
    }
}
