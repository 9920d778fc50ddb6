using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SupplyChainMesh.Cli.Api;

/// <summary>
/// The typed client of the mesh's API through the gateway (paths of the API map in docs; JSON camelCase). Answers are
/// returned as <see cref="JsonElement"/>: the services own their shapes, the CLI prints what they say (<c>--output
/// json</c> passes it through) and reads only the few fields it needs. A 4xx becomes <see cref="ApiRefusedException"/>
/// with the problem-details title and detail; no answer, a timeout or a 5xx becomes <see cref="ApiUnreachableException"/>.
/// </summary>
internal sealed class ScmApiClient(HttpClient http)
{
    public Uri? BaseAddress => http.BaseAddress;

    public static ScmApiClient Create(Uri server, string? token, HttpMessageHandler? handler, TimeSpan timeout)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = server;
        http.Timeout = timeout;
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("scm", Reports.ReportFormats.ToolVersion));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token is { Length: > 0 }) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ScmApiClient(http);
    }

    // Ingest
    public Task<JsonElement> ListImagesAsync(string? repository, CancellationToken ct) => GetAsync("api/images" + Query(("repository", repository)), ct);

    public Task<JsonElement> ImageStatusAsync(string repository, string digest, CancellationToken ct) =>
        GetAsync("api/images/status" + Query(("repository", repository), ("digest", digest)), ct);

    // LayerScanner
    public Task<JsonElement> ListScansAsync(string repository, string digest, CancellationToken ct) =>
        GetAsync("api/scans" + Query(("repository", repository), ("digest", digest)), ct);

    public Task<JsonElement> LayerAnalysisAsync(string layerDigest, CancellationToken ct) =>
        GetAsync($"api/scans/layers/{Uri.EscapeDataString(layerDigest)}/analysis", ct);

    // FeedSync
    public Task<JsonElement> ImageReportAsync(string repository, string digest, CancellationToken ct) =>
        GetAsync("api/vulnerabilities/images" + Query(("repository", repository), ("digest", digest)), ct);

    public Task<JsonElement> ReportAsync(string reportId, CancellationToken ct) => GetAsync($"api/vulnerabilities/reports/{Uri.EscapeDataString(reportId)}", ct);

    // PolicyEngine
    public Task<JsonElement> ListPoliciesAsync(CancellationToken ct) => GetAsync("api/policies", ct);

    public Task<JsonElement> CreatePolicyAsync(JsonNode policy, CancellationToken ct) => SendAsync(HttpMethod.Post, "api/policies", policy, ct);

    public Task<JsonElement> UpdatePolicyAsync(string id, JsonNode policy, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"api/policies/{Uri.EscapeDataString(id)}", policy, ct);

    public Task<JsonElement> DryRunAsync(JsonNode request, CancellationToken ct) => SendAsync(HttpMethod.Post, "api/policies/dry-run", request, ct);

    public Task<JsonElement> ListExceptionsAsync(CancellationToken ct) => GetAsync("api/exceptions", ct);

    public Task<JsonElement> CreateExceptionAsync(JsonNode exception, CancellationToken ct) => SendAsync(HttpMethod.Post, "api/exceptions", exception, ct);

    public Task<JsonElement> DeleteExceptionAsync(string id, CancellationToken ct) => SendAsync(HttpMethod.Delete, $"api/exceptions/{Uri.EscapeDataString(id)}", null, ct);

    // Promoter
    public Task<JsonElement> ListPromotionsAsync(string? repository, string? digest, CancellationToken ct) =>
        GetAsync("api/promotions" + Query(("repository", repository), ("digest", digest)), ct);

    // Gateway
    public Task<JsonElement> ListTokensAsync(CancellationToken ct) => GetAsync("api/tokens", ct);

    public Task<JsonElement> CreateTokenAsync(JsonNode request, CancellationToken ct) => SendAsync(HttpMethod.Post, "api/tokens", request, ct);

    public Task<JsonElement> RevokeTokenAsync(string id, CancellationToken ct) => SendAsync(HttpMethod.Delete, $"api/tokens/{Uri.EscapeDataString(id)}", null, ct);

    private Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ApiUnreachableException($"cannot reach {http.BaseAddress}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new ApiUnreachableException($"{http.BaseAddress} did not answer {method} /{path} within {http.Timeout.TotalSeconds:0} s", ex);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status >= 500) throw new ApiUnreachableException($"{method} /{path}: the server failed ({status} {response.ReasonPhrase}){Problem(text)}");
            if (status >= 400) throw new ApiRefusedException(response.StatusCode, $"{method} /{path}: {status} {response.ReasonPhrase}{Problem(text)}");
            if (response.StatusCode == HttpStatusCode.NoContent || string.IsNullOrWhiteSpace(text)) return default;
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new ApiUnreachableException($"{method} /{path}: the answer is not JSON ({ex.Message})", ex);
            }
        }
    }

    /// <summary>The title, detail and validation errors of an RFC 9457 problem-details body, when the body is one.</summary>
    private static string Problem(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return "";
            var parts = new List<string>();
            if (root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String) parts.Add(title.GetString()!);
            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String) parts.Add(detail.GetString()!);
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                    parts.Add($"{field.Name}: {string.Join(" ", field.Value.EnumerateArray().Select(e => e.ToString()))}");
            }
            return parts.Count == 0 ? "" : ": " + string.Join("; ", parts);
        }
        catch (JsonException)
        {
            return body.Length > 200 ? $": {body[..200]}..." : $": {body}";
        }
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join("&", present);
    }
}
