using System.Runtime.CompilerServices;
using System.Text.Json;
using SupplyChainMesh.Analysis.Advisories;

namespace SupplyChainMesh.Analysis.Debian;

/// <summary>
/// Reads the Debian Security Tracker's JSON (<c>https://security-tracker.debian.org/tracker/data/json</c>):
/// <c>{ source-package: { CVE-id: { description, scope, debianbug, releases: { codename: { status, fixed_version,
/// urgency, repositories: { suite: version }, nodsa, nodsa_reason } } } } }</c>.
/// Each (source package, CVE) becomes one advisory with one <c>Debian:N</c> entry per release:
/// <list type="bullet">
/// <item><c>resolved</c> with <c>fixed_version</c> <c>0</c>: the release was never affected, no entry.</item>
/// <item><c>resolved</c> with a version: <c>introduced 0, fixed version</c> (as osv.dev's export writes it).</item>
/// <item><c>open</c> or <c>undetermined</c>: <c>introduced 0</c> with no fix: unfixed in that release.</item>
/// </list>
/// Urgency goes to <see cref="AffectedPackage.EcosystemSeverity"/>. The document is one large object, so it is parsed
/// once as a <see cref="JsonDocument"/>; malformed package or CVE entries are reported and skipped.
/// </summary>
public sealed class DebianSecurityTrackerParser : IFeedParser
{
    public const string FeedName = "debian-security-tracker";

    // Codename to the OSV ecosystem suffix; sid is Debian's rolling "unstable".
    private static readonly Dictionary<string, string> Releases = new(StringComparer.Ordinal)
    {
        ["wheezy"] = "7",
        ["jessie"] = "8",
        ["stretch"] = "9",
        ["buster"] = "10",
        ["bullseye"] = "11",
        ["bookworm"] = "12",
        ["trixie"] = "13",
        ["forky"] = "14",
        ["duke"] = "15",
        ["sid"] = "unstable",
    };

    public string Name => FeedName;

    /// <summary>The OSV ecosystem (<c>Debian:12</c>) of a release codename, or null for an unknown codename.</summary>
    public static string? EcosystemOf(string codename) => Releases.TryGetValue(codename, out var number) ? "Debian:" + number : null;

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
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Problem(new FeedProblem(null, FeedName, "the tracker document must be an object of source packages"));
                yield break;
            }
            foreach (var package in document.RootElement.EnumerateObject())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (package.Value.ValueKind != JsonValueKind.Object)
                {
                    problems.Problem(new FeedProblem(null, $"{FeedName}/{package.Name}", "package entry is not an object of CVEs"));
                    continue;
                }
                foreach (var cve in package.Value.EnumerateObject())
                {
                    if (Map(package.Name, cve, problems) is { } advisory) yield return advisory;
                }
            }
        }
    }

    private static Advisory? Map(string sourcePackage, JsonProperty cve, IFeedProblemSink problems)
    {
        var location = $"{FeedName}/{sourcePackage}";
        if (cve.Value.ValueKind != JsonValueKind.Object
            || !cve.Value.TryGetProperty("releases", out var releases) || releases.ValueKind != JsonValueKind.Object)
        {
            problems.Problem(new FeedProblem(cve.Name, location, "entry has no 'releases' object"));
            return null;
        }
        var affected = new List<AffectedPackage>();
        foreach (var release in releases.EnumerateObject())
        {
            if (EcosystemOf(release.Name) is not { } ecosystem) continue;
            var r = release.Value;
            if (r.ValueKind != JsonValueKind.Object || GetString(r, "status") is not { } status)
            {
                problems.Problem(new FeedProblem(cve.Name, location, $"release '{release.Name}' has no status"));
                continue;
            }
            var fixedVersion = GetString(r, "fixed_version");
            var urgency = GetString(r, "urgency");
            List<RangeEvent> events = [new RangeEvent(RangeEventKind.Introduced, "0")];
            switch (status)
            {
                case "resolved" when fixedVersion is null:
                    problems.Problem(new FeedProblem(cve.Name, location, $"release '{release.Name}' is resolved without fixed_version"));
                    continue;
                case "resolved" when fixedVersion == "0":
                    continue;
                case "resolved":
                    events.Add(new RangeEvent(RangeEventKind.Fixed, fixedVersion!));
                    break;
                case "open" or "undetermined":
                    break;
                default:
                    problems.Problem(new FeedProblem(cve.Name, location, $"release '{release.Name}' has unknown status '{status}'"));
                    continue;
            }
            affected.Add(new AffectedPackage
            {
                Ecosystem = ecosystem,
                Name = sourcePackage,
                Purl = $"pkg:deb/debian/{sourcePackage}?arch=source",
                Ranges = [new AffectedRange(RangeType.Ecosystem, events)],
                EcosystemSeverity = urgency,
            });
        }
        return new Advisory
        {
            Id = cve.Name,
            Details = GetString(cve.Value, "description"),
            Affected = affected,
            Source = FeedName,
        };
    }

    private static string? GetString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
