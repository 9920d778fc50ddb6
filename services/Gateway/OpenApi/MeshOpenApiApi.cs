using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SupplyChainMesh.ServiceDefaults;
using Yarp.ReverseProxy;

namespace SupplyChainMesh.Gateway.OpenApi;

/// <summary>
/// <c>GET /openapi/mesh.json</c>: one OpenAPI document for the whole API, the gateway's own endpoints merged with the
/// document each backend publishes at <c>/openapi/v1.json</c> (first healthy-looking destination of every YARP
/// cluster). A backend that does not answer is left out and named in <c>x-scm-missing</c>, so the page still loads
/// while one service is down. Anonymous, like the Scalar page that shows it: the API's shape is not a secret.
/// </summary>
public static partial class MeshOpenApiApi
{
    public const string Path = "/openapi/mesh.json";
    public const string HttpClientName = "openapi-backends";

    public static IEndpointRouteBuilder MapMeshOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, GetAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> GetAsync(
        IProxyStateLookup proxy,
        IHttpClientFactory clients,
        [FromKeyedServices(OpenApiExtensions.DocumentName)] IOpenApiDocumentProvider ownDocument,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(MeshOpenApiApi));
        var own = await ownDocument.GetOpenApiDocumentAsync(cancellationToken);
        var ownJson = JsonNode.Parse(await own.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken))!.AsObject();

        var http = clients.CreateClient(HttpClientName);
        var backends = proxy.GetClusters()
            .Select(c => (Cluster: c.ClusterId, Address: c.Destinations.Values.Select(d => d.Model.Config.Address).FirstOrDefault()))
            .Where(c => c.Address is not null)
            .OrderBy(c => c.Cluster, StringComparer.Ordinal)
            .ToList();
        var fetched = await Task.WhenAll(backends.Select(b => FetchAsync(http, b.Cluster, b.Address!, logger, cancellationToken)));

        var sources = new List<OpenApiDocumentMerger.Source> { new("gateway", ownJson) };
        sources.AddRange(fetched.Where(f => f is not null)!);
        var merged = OpenApiDocumentMerger.Merge(sources, "SupplyChainMesh API", "v1");
        var missing = backends.Where((_, i) => fetched[i] is null).Select(b => (JsonNode?)b.Cluster).ToArray();
        if (missing.Length > 0) merged["x-scm-missing"] = new JsonArray(missing);
        return TypedResults.Text(merged.ToJsonString(), "application/json");
    }

    private static async Task<OpenApiDocumentMerger.Source?> FetchAsync(HttpClient http, string cluster, string address, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var uri = new Uri(new Uri(address), OpenApiExtensions.DocumentPath);
            using var response = await http.GetAsync(uri, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonNode.ParseAsync(body, cancellationToken: cancellationToken) is JsonObject document ? new(cluster, document) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            LogBackendMissing(logger, cluster, ex.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenAPI document of {Cluster} not available: {Reason}")]
    private static partial void LogBackendMissing(ILogger logger, string cluster, string reason);
}
