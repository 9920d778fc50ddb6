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
                    RecordsPerCommit = 7, // 16 records: committed as 7, 7 and 2
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
        Assert.Equal([7, 7, 2], first.Select(r => r.Records));
        Assert.Equal(16, first.Sum(r => r.Added));
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
        var changed = Assert.Single(second);
        Assert.Equal(2, changed.Records);
        Assert.Equal(2, changed.Changed);
        Assert.Equal(0, changed.Added);
        Assert.Equal(0, changed.Withdrawn);
        Assert.Equal(["CVE-2021-44228", "CVE-2023-4911"], changed.ChangedIds.Order(StringComparer.Ordinal));
        var stored = Assert.Single(await store.FindAsync("CVE-2021-44228"));
        Assert.Contains("(re-analysed)", stored.RecordJson, StringComparison.Ordinal);
        // An increment withdraws nothing: the records it did not serve stay as they were.
        Assert.False(Assert.Single(await store.FindAsync("CVE-2020-8203")).Withdrawn);
        Assert.True(NvdFeedSync.ParseWatermark(await store.WatermarkAsync("nvd")) > watermark);
    }

    [Fact]
    public void An_interrupted_sync_resumes_from_the_start_of_its_window()
    {
        var since = DateTimeOffset.Parse("2026-11-29T10:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture);
        var started = since.AddHours(6);
        Assert.Equal(since, NvdFeedSync.ParseWatermark($"{NvdFeedSync.FormatWatermark(since)}#2@{NvdFeedSync.FormatWatermark(started)}"));
        Assert.Null(NvdFeedSync.ParseWatermark($"#3@{NvdFeedSync.FormatWatermark(started)}")); // a first sync starts over
        Assert.Equal(started, NvdFeedSync.ParseWatermark(NvdFeedSync.FormatWatermark(started)));
        Assert.Null(NvdFeedSync.ParseWatermark(null));
    }

    private static string? QueryValue(string query, string name) =>
        query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == name).Select(p => WebUtility.UrlDecode(p[1])).FirstOrDefault();
}
