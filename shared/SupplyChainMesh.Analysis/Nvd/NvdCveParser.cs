using System.Runtime.CompilerServices;
using System.Text.Json;
using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Osv;

namespace SupplyChainMesh.Analysis.Nvd;

/// <summary>One page of the NVD CVE API 2.0 (<c>/rest/json/cves/2.0</c>): its paging fields and its CVEs.</summary>
public sealed record NvdPage(int StartIndex, int ResultsPerPage, int TotalResults, IReadOnlyList<Advisory> Cves);

/// <summary>
/// Reads NVD CVE API 2.0 responses (and files of the same shape). NVD is used for what it rates, not for what it
/// says is affected (its CPE configurations are not read): each CVE becomes an advisory with no affected packages,
/// carrying the English description and every CVSS metric (v4.0, v3.1, v3.0, v2) with its source and
/// Primary/Secondary type. CISA KEV fields NVD copies in are not read here: <c>Kev/</c> reads the catalogue itself.
/// </summary>
public sealed class NvdCveParser : IFeedParser
{
    public const string FeedName = "nvd";

    public string Name => FeedName;

    public async IAsyncEnumerable<Advisory> ParseAsync(Stream content, IFeedProblemSink problems, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = await ParsePageAsync(content, problems, cancellationToken).ConfigureAwait(false);
        foreach (var cve in page?.Cves ?? []) yield return cve;
    }

    /// <summary>Parses one response; null (and a problem) when it is not an NVD CVE response at all.</summary>
    public static async Task<NvdPage?> ParsePageAsync(Stream content, IFeedProblemSink problems, CancellationToken cancellationToken = default)
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
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("vulnerabilities", out var vulnerabilities) || vulnerabilities.ValueKind != JsonValueKind.Array)
            {
                problems.Problem(new FeedProblem(null, FeedName, "not an NVD CVE API 2.0 response: no 'vulnerabilities' array"));
                return null;
            }
            var cves = new List<Advisory>(vulnerabilities.GetArrayLength());
            var index = 0;
            foreach (var item in vulnerabilities.EnumerateArray())
            {
                var location = $"{FeedName}/vulnerabilities[{index++}]";
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("cve", out var cve) || cve.ValueKind != JsonValueKind.Object
                    || GetString(cve, "id") is not { Length: > 0 } id)
                {
                    problems.Problem(new FeedProblem(null, location, "entry without cve.id"));
                    continue;
                }
                cves.Add(MapCve(id, cve));
            }
            return new NvdPage(GetInt(root, "startIndex"), GetInt(root, "resultsPerPage"), GetInt(root, "totalResults"), cves);
        }
    }

    private static Advisory MapCve(string id, JsonElement cve)
    {
        string? description = null;
        if (cve.TryGetProperty("descriptions", out var descriptions) && descriptions.ValueKind == JsonValueKind.Array)
        {
            foreach (var d in descriptions.EnumerateArray())
            {
                if (GetString(d, "lang") == "en") { description = GetString(d, "value"); break; }
            }
        }
        var severities = new List<SeverityScore>();
        if (cve.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object)
        {
            AddMetrics(metrics, "cvssMetricV40", CvssKind.V40, severities);
            AddMetrics(metrics, "cvssMetricV31", CvssKind.V31, severities);
            AddMetrics(metrics, "cvssMetricV30", CvssKind.V30, severities);
            AddMetrics(metrics, "cvssMetricV2", CvssKind.V2, severities);
        }
        var status = GetString(cve, "vulnStatus");
        return new Advisory
        {
            Id = id,
            Details = description,
            Published = OsvParser.ParseDate(GetString(cve, "published")),
            Modified = OsvParser.ParseDate(GetString(cve, "lastModified")),
            // NVD marks retracted CVEs "Rejected"; they must not rate anything.
            Withdrawn = status == "Rejected" ? OsvParser.ParseDate(GetString(cve, "lastModified")) ?? DateTimeOffset.UnixEpoch : null,
            Severities = severities,
            Source = FeedName,
        };
    }

    private static void AddMetrics(JsonElement metrics, string property, CvssKind kind, List<SeverityScore> output)
    {
        if (!metrics.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array) return;
        foreach (var metric in list.EnumerateArray())
        {
            if (!metric.TryGetProperty("cvssData", out var data) || data.ValueKind != JsonValueKind.Object) continue;
            if (GetString(data, "vectorString") is not { Length: > 0 } vector) continue;
            double? score = data.TryGetProperty("baseScore", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
            output.Add(new SeverityScore(kind, vector, score, GetString(metric, "source") ?? FeedName, GetString(metric, "type") == "Primary"));
        }
    }

    private static string? GetString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int GetInt(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : 0;
}
