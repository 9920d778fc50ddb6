using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyChainMesh.FeedSync.Feeds;
using SupplyChainMesh.FeedSync.Matching;

namespace SupplyChainMesh.Mesh.Tests.Feeds;

/// <summary>The FeedSync host in process, reading layer analyses from a LayerScanner host in process (its test server
/// stands in for <c>Services:LayerScanner</c>).</summary>
public sealed class FeedSyncHost(IDictionary<string, string?> settings, Func<HttpMessageHandler> layerScanner, Uri layerScannerAddress)
    : WebApplicationFactory<FeedScheduler>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        LogContext.ConfigureCurrentLogContext(NullLoggerFactory.Instance);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Development");
        builder.ConfigureTestServices(services => services.AddHttpClient<LayerAnalysisClient>(c => c.BaseAddress = layerScannerAddress)
            .ConfigurePrimaryHttpMessageHandler(layerScanner));
    }
}
