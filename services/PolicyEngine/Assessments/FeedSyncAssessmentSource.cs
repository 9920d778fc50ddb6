using System.Net;
using System.Text.Json;
using SupplyChainMesh.Policy.Assessments;

namespace SupplyChainMesh.PolicyEngine.Assessments;

/// <summary>
/// Reads assessments from FeedSync (<c>Services:FeedSync</c>): <c>GET /api/vulnerabilities/reports/{id}/assessment</c>
/// returns the policy library's <see cref="ImageAssessment"/> (camelCase, enums as strings). A typed HttpClient with
/// the mesh's standard resilience handler (retries, timeouts, circuit breaker) from ServiceDefaults.
/// </summary>
public sealed class FeedSyncAssessmentSource(HttpClient http) : IAssessmentSource
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public async Task<ImageAssessment?> GetByReportAsync(Guid reportId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"api/vulnerabilities/reports/{reportId}/assessment", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<ImageAssessment>(Json, cancellationToken);
    }

    public async Task<(Guid ReportId, ImageAssessment Assessment)?> GetLatestAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        var query = $"api/vulnerabilities/images?repository={Uri.EscapeDataString(repository)}&digest={Uri.EscapeDataString(digest)}";
        using var response = await http.GetAsync(new Uri(query, UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        if (ReportIdOf(document.RootElement) is not { } reportId) return null;
        return await GetByReportAsync(reportId, cancellationToken) is { } assessment ? (reportId, assessment) : null;
    }

    // FeedSync's image endpoint answers {image, report: {reportId, ...}} (ImageReportView); an array (newest first) or a
    // bare report with "reportId" or "id" is read too.
    private static Guid? ReportIdOf(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
            return element.GetArrayLength() == 0 ? null : ReportIdOf(element[0]);
        if (element.ValueKind != JsonValueKind.Object) return null;
        if (element.TryGetProperty("report", out var report) && report.ValueKind == JsonValueKind.Object) return ReportIdOf(report);
        foreach (var name in (string[])["reportId", "id"])
            if (element.TryGetProperty(name, out var id) && id.ValueKind == JsonValueKind.String && id.TryGetGuid(out var guid))
                return guid;
        return null;
    }
}
