using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using SupplyChainMesh.FeedSync.Feeds;
using SupplyChainMesh.FeedSync.Infrastructure;
using SupplyChainMesh.FeedSync.Matching;
using SupplyChainMesh.Persistence.Feeds;
using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.FeedSync;

internal static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<FeedDbContext>(FeedDbContext.Schema);
        var connectionString = builder.Configuration.GetConnectionString("Postgres")!;
        builder.Services.AddSingleton(_ => FeedStore.CreateDataSource(connectionString));
        builder.Services.AddSingleton(sp => new FeedStore(sp.GetRequiredService<NpgsqlDataSource>(), FeedDbContext.Schema));
        builder.Services.AddSingleton<FeedFileImporter>();
        builder.Services.AddSingleton<ImageReportStore>();

        builder.Services.Configure<FeedSyncOptions>(builder.Configuration.GetSection("FeedSync"));
        builder.Services.AddOptions<FeedSyncOptions>().ValidateOutboundHosts(o => o.Sources
            .Where(s => s.Value.Url is not null)
            .Select(s => new OutboundTarget($"FeedSync:Sources:{s.Key}:Url", s.Value.Url!.OriginalString, IsRegistry: false)));
        builder.Services.AddSingleton<FeedSourceCatalog>();
        // Feed files are large and resumed by the downloader itself: no total timeout, no second retry layer.
#pragma warning disable EXTEXP0001 // evaluation API; the alternative is a 30 s total timeout on 60 MB feed downloads
        // Feed URLs are checked against the allow-list at start-up; the connect check also covers what they resolve to and
        // where a mirror redirects.
        builder.Services.AddHttpClient<HttpFeedDownloader>(c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllResilienceHandlers()
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler { ConnectCallback = sp.GetRequiredService<OutboundAllowList>().ConnectAsync });
        // NvdClient paces and retries NVD requests itself (rate limit, 403/429 back-off): no second retry layer.
        builder.Services.AddHttpClient(NvdFeedSync.HttpClientName, c => c.Timeout = TimeSpan.FromMinutes(5)).RemoveAllResilienceHandlers()
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler { ConnectCallback = sp.GetRequiredService<OutboundAllowList>().ConnectAsync });
#pragma warning restore EXTEXP0001
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<NvdFeedSync>();
        builder.Services.AddHttpClient<LayerAnalysisClient>(c =>
            c.BaseAddress = new Uri(builder.Configuration["Services:LayerScanner"] ?? "http://127.0.0.1:8082"))
            .AddServiceIdentity();
        builder.Services.AddSingleton<MatcherHolder>();
        builder.Services.AddSingleton<ImageRematcher>();
        builder.Services.AddSingleton<FeedSyncRunner>();
        builder.Services.AddSingleton<FeedScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FeedScheduler>());
        builder.Services.AddHostedService<PackageCollector>();

        builder.AddMessaging(x => x.AddConsumer<ImageScannedConsumer>());
        return builder;
    }
}
