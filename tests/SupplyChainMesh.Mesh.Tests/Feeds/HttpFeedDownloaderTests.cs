using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.FeedSync.Feeds;
using SupplyChainMesh.Persistence.Feeds;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Feeds;

/// <summary>
/// A real HTTP server (HttpListener on this helper's port range) serving a real corpus file (GHSA NuGet, 685 records)
/// with an ETag and Range support, and cutting connections part-way through the body.
/// </summary>
public sealed class HttpFeedDownloaderTests : IDisposable
{
    private const string ETag = "\"ghsa-nuget-v1\"";
    private static int _nextPort = 9121;
    private readonly HttpListener _listener = new();
    private readonly byte[] _content = File.ReadAllBytes(Path.Combine(RepositoryLayout.Feeds, "ghsa", "ghsa-nuget.osv.jsonl"));
    private readonly List<string?> _ranges = [];
    private readonly string _target = Path.Combine(Path.GetTempPath(), "scm-download-" + Guid.NewGuid().ToString("N"));
    private int _cutsLeft;

    public HttpFeedDownloaderTests()
    {
        var port = Interlocked.Increment(ref _nextPort);
        Url = new Uri($"http://127.0.0.1:{port}/ghsa-nuget.osv.jsonl");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = ServeAsync();
    }

    private Uri Url { get; }

    public void Dispose()
    {
        _listener.Close();
        if (File.Exists(_target)) File.Delete(_target);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { return; }
            var request = context.Request;
            var response = context.Response;
            lock (_ranges) _ranges.Add(request.Headers["Range"]);
            response.Headers["ETag"] = ETag;
            if (request.Headers["If-None-Match"] == ETag)
            {
                response.StatusCode = 304;
                response.Close();
                continue;
            }
            long from = 0;
            if (request.Headers["Range"] is { } range && request.Headers["If-Range"] == ETag)
            {
                from = long.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
                response.StatusCode = 206;
                response.Headers["Content-Range"] = $"bytes {from}-{_content.Length - 1}/{_content.Length}";
            }
            response.ContentLength64 = _content.Length - from;
            try
            {
                if (Interlocked.Decrement(ref _cutsLeft) >= 0)
                {
                    // Half the body, then the connection drops.
                    await response.OutputStream.WriteAsync(_content.AsMemory((int)from, (_content.Length - (int)from) / 2));
                    await response.OutputStream.FlushAsync();
                    response.Abort();
                    continue;
                }
                await response.OutputStream.WriteAsync(_content.AsMemory((int)from));
                response.Close();
            }
            catch (HttpListenerException)
            {
                // The client went away.
            }
        }
    }

    private static HttpFeedDownloader Downloader() =>
        new(new HttpClient(), NullLogger<HttpFeedDownloader>.Instance) { FirstBackoff = TimeSpan.FromMilliseconds(20), MaxAttempts = 4 };

    [Fact]
    public async Task A_cut_download_is_resumed_with_range_and_imported_whole_then_not_downloaded_again()
    {
        _cutsLeft = 1;
        var download = await Downloader().DownloadAsync(Url, _target, etag: null, lastModified: null, CancellationToken.None);

        Assert.False(download.NotModified);
        Assert.Equal(ETag, download.ETag);
        Assert.Equal(_content, await File.ReadAllBytesAsync(_target));
        Assert.Equal(2, _ranges.Count);
        Assert.Null(_ranges[0]);
        Assert.Equal($"bytes={_content.Length / 2}-", _ranges[1]);

        await using var source = FeedStore.CreateDataSource(await BackingServices.FreshDatabaseAsync("download"));
        var store = new FeedStore(source);
        await store.EnsureSchemaAsync();
        var result = await new FeedFileImporter(store).ImportFileAsync("ghsa-nuget", "ghsa-nuget", FeedFormat.Osv, _target);
        Assert.Equal((685, 685, 0), (result.Records, result.Added, result.Malformed));

        var again = await Downloader().DownloadAsync(Url, _target + "-2", download.ETag, download.LastModified, CancellationToken.None);
        Assert.True(again.NotModified);
        Assert.False(File.Exists(_target + "-2"));
    }

    [Fact]
    public async Task A_download_that_never_completes_fails_and_leaves_nothing_to_import()
    {
        _cutsLeft = int.MaxValue;
        var error = await Assert.ThrowsAsync<FeedImportException>(() => Downloader().DownloadAsync(Url, _target, null, null, CancellationToken.None));

        Assert.Contains("4 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, _ranges.Count);
        Assert.False(File.Exists(_target));
        Assert.False(File.Exists(_target + ".part"));
    }
}
