using System.Globalization;
using System.Text.Json;
using SupplyChainMesh.Analysis.Advisories;

namespace SupplyChainMesh.Analysis.Kev;

/// <summary>One entry of CISA's Known Exploited Vulnerabilities catalogue.</summary>
public sealed record KevEntry(
    string CveId,
    string? VendorProject,
    string? Product,
    string? VulnerabilityName,
    DateOnly? DateAdded,
    DateOnly? DueDate,
    string? RequiredAction,
    bool KnownRansomwareCampaignUse);

/// <summary>
/// CISA KEV (<c>known_exploited_vulnerabilities.json</c>, schema in the same folder): a CVE listed here is exploited in
/// the wild, and US federal agencies must remediate it by <see cref="KevEntry.DueDate"/>.
/// </summary>
public sealed class KevCatalog
{
    private readonly Dictionary<string, KevEntry> _entries;

    private KevCatalog(string? version, DateTimeOffset? released, Dictionary<string, KevEntry> entries)
    {
        CatalogVersion = version;
        DateReleased = released;
        _entries = entries;
    }

    public static KevCatalog Empty { get; } = new(null, null, new Dictionary<string, KevEntry>(StringComparer.OrdinalIgnoreCase));

    public string? CatalogVersion { get; }

    public DateTimeOffset? DateReleased { get; }

    public int Count => _entries.Count;

    public IEnumerable<KevEntry> Entries => _entries.Values;

    public KevEntry? Find(string cveId) => _entries.GetValueOrDefault(cveId);

    public static async Task<KevCatalog> ParseAsync(Stream content, IFeedProblemSink problems, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var entries = new Dictionary<string, KevEntry>(StringComparer.OrdinalIgnoreCase);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(content, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            problems.Problem(new FeedProblem(null, "kev", $"malformed JSON: {ex.Message}"));
            return new KevCatalog(null, null, entries);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("vulnerabilities", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                problems.Problem(new FeedProblem(null, "kev", "not a KEV catalogue: no 'vulnerabilities' array"));
                return new KevCatalog(null, null, entries);
            }
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var location = $"kev/vulnerabilities[{index++}]";
                if (item.ValueKind != JsonValueKind.Object || GetString(item, "cveID") is not { Length: > 0 } cve)
                {
                    problems.Problem(new FeedProblem(null, location, "entry without cveID"));
                    continue;
                }
                entries[cve] = new KevEntry(
                    cve,
                    GetString(item, "vendorProject"),
                    GetString(item, "product"),
                    GetString(item, "vulnerabilityName"),
                    ParseDate(GetString(item, "dateAdded")),
                    ParseDate(GetString(item, "dueDate")),
                    GetString(item, "requiredAction"),
                    string.Equals(GetString(item, "knownRansomwareCampaignUse"), "Known", StringComparison.OrdinalIgnoreCase));
            }
            var released = GetString(root, "dateReleased") is { } r && DateTimeOffset.TryParse(r, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : (DateTimeOffset?)null;
            return new KevCatalog(GetString(root, "catalogVersion"), released, entries);
        }
    }

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static string? GetString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
