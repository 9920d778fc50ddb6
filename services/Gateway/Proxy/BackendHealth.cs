using System.Diagnostics;
using Yarp.ReverseProxy;

namespace SupplyChainMesh.Gateway.Proxy;

/// <summary><c>GET /health/backends</c>: every backend's <c>/health/ready</c>, asked now and in parallel, with the
/// gateway's aggregate (healthy only when all are).</summary>
public static class BackendHealth
{
    public sealed record BackendStatus(string Cluster, string Destination, string Address, string Status, int? HttpStatus, long Milliseconds);

    public sealed record Report(string Status, IReadOnlyList<BackendStatus> Backends);

    public static IEndpointRouteBuilder MapBackendHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/backends", async (IProxyStateLookup proxy, IHttpClientFactory clients, CancellationToken ct) =>
        {
            var client = clients.CreateClient(nameof(BackendHealth));
            var checks = proxy.GetClusters()
                .SelectMany(c => c.Destinations.Select(d => (Cluster: c.ClusterId, Destination: d.Key, d.Value.Model.Config.Address)))
                .Select(async b =>
                {
                    var watch = Stopwatch.StartNew();
                    try
                    {
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        timeout.CancelAfter(TimeSpan.FromSeconds(3));
                        using var response = await client.GetAsync(new Uri(new Uri(b.Address), "/health/ready"), timeout.Token);
                        return new BackendStatus(b.Cluster, b.Destination, b.Address,
                            response.IsSuccessStatusCode ? "Healthy" : "Unhealthy", (int)response.StatusCode, watch.ElapsedMilliseconds);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                    {
                        return new BackendStatus(b.Cluster, b.Destination, b.Address, "Unreachable", null, watch.ElapsedMilliseconds);
                    }
                });
            var backends = await Task.WhenAll(checks);
            var healthy = backends.All(b => b.Status == "Healthy");
            return TypedResults.Json(new Report(healthy ? "Healthy" : "Unhealthy", backends),
                statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().WithTags("Health");
        return app;
    }
}
