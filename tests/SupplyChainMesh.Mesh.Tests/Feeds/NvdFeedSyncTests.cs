using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupplyChainMesh.FeedSync.Feeds;
using SupplyChainMesh.Persistence.Feeds;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Feeds;

/// <summary>The NVD API source of FeedSync against a local NVD-shaped server serving the real NVD records of the corpus.</summary>
public sealed class NvdFeedSyncTests
{
    [Fact]
    public async Task Nvd_source_pages_with_the_api_key_backs_off_on_403_and_then_asks_only_for_what_changed_since_its_watermark()
    {
        await using var nvd = await FakeNvdApi.StartAsync();
        await using var data = FeedStore.CreateDataSource(await BackingServices.FreshDatabaseAsync("feeds_nvd"));
        var store = new FeedStore(data);
        await store.EnsureSchemaAsync();
        var catalog = new FeedSourceCatalog(Options.Create(new FeedSyncOptions
        {
            Sources =
            {
                ["nvd"] = new FeedSourceOptions
                {
                    Url = nvd.BaseUri,
                    Format = "nvd",
                    ApiKey = "test-key",
                    ResultsPerPage = 5,
                    InitialBackoff = TimeSpan.FromMilliseconds(50),
                },
            },
        }));
        var source = catalog.Find("nvd")!;
        Assert.NotNull(source.Nvd);
        Assert.Equal(50, source.Nvd.RequestsPerWindow);
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var sync = new NvdFeedSync(services.GetRequiredService<IHttpClientFactory>(), store, TimeProvider.System);

        // First sync: refused once (403), then every record in pages of 5, each request with the key.
        nvd.ForbidNext = 1;
        var first = await sync.SyncAsync(source, force: false, CancellationToken.None);
        Assert.Equal(16, first.Records);
        Assert.Equal(16, first.Added);
        var requests = nvd.Requests;
        Assert.Equal([403, 200, 200, 200, 200], requests.Select(r => r.Status));
        Assert.All(requests, r => Assert.Equal("test-key", r.ApiKey));
        Assert.Equal(["0", "0", "5", "10", "15"], requests.Select(r => QueryValue(r.Query, "startIndex")));
        Assert.All(requests, r => Assert.Null(QueryValue(r.Query, "lastModStartDate")));
        var watermark = NvdFeedSync.ParseWatermark(await store.WatermarkAsync("nvd"));
        Assert.NotNull(watermark);
        Assert.Single(await store.FindAsync("CVE-2023-4911"));

        // NVD publishes modifications of two records; the next sync asks from the watermark and changes only those.
        var modifiedAt = DateTimeOffset.UtcNow.AddSeconds(1);
        nvd.Modify("CVE-2021-44228", modifiedAt, "(re-analysed)");
        nvd.Modify("CVE-2023-4911", modifiedAt, "(re-analysed)");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var second = await sync.SyncAsync(source, force: false, CancellationToken.None);
        var increment = nvd.Requests.Skip(requests.Count).ToList();
        var asked = Assert.Single(increment);
        Assert.Equal(watermark, DateTimeOffset.Parse(QueryValue(asked.Query, "lastModStartDate")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(QueryValue(asked.Query, "lastModEndDate"));
        Assert.Equal(2, second.Records);
        Assert.Equal(2, second.Changed);
        Assert.Equal(0, second.Added);
        Assert.Equal(0, second.Withdrawn);
        Assert.Equal(["CVE-2021-44228", "CVE-2023-4911"], second.ChangedIds.Order(StringComparer.Ordinal));
        var stored = Assert.Single(await store.FindAsync("CVE-2021-44228"));
        Assert.Contains("(re-analysed)", stored.RecordJson, StringComparison.Ordinal);
        // An increment withdraws nothing: the records it did not serve stay as they were.
        Assert.False(Assert.Single(await store.FindAsync("CVE-2020-8203")).Withdrawn);
        Assert.True(NvdFeedSync.ParseWatermark(await store.WatermarkAsync("nvd")) > watermark);
    }

    private static string? QueryValue(string query, string name) =>
        query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == name).Select(p => WebUtility.UrlDecode(p[1])).FirstOrDefault();
}
