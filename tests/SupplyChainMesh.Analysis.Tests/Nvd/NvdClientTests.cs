using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Nvd;
using SupplyChainMesh.Analysis.Tests.Advisories;

namespace SupplyChainMesh.Analysis.Tests.Nvd;

public class NvdClientTests
{
    /// <summary>Serves the real 16-CVE subset as NVD would, page by page, honouring startIndex and resultsPerPage.</summary>
    private sealed class FakeNvd : HttpMessageHandler
    {
        private readonly JsonArray _all = JsonNode.Parse(File.ReadAllText(FeedTestData.PathOf("nvd-cve-api2-subset.json")))!["vulnerabilities"]!.AsArray();

        public List<HttpRequestMessage> Requests { get; } = [];

        public Queue<HttpStatusCode> Failures { get; } = new();

        public TimeSpan? RetryAfter { get; init; }

        public int Total => _all.Count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            if (Failures.TryDequeue(out var failure))
            {
                var refusal = new HttpResponseMessage(failure);
                if (RetryAfter is { } ra) refusal.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(ra);
                return Task.FromResult(refusal);
            }
            var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var start = int.Parse(query["startIndex"]!, System.Globalization.CultureInfo.InvariantCulture);
            var size = int.Parse(query["resultsPerPage"]!, System.Globalization.CultureInfo.InvariantCulture);
            var slice = new JsonArray(_all.Skip(start).Take(size).Select(n => n!.DeepClone()).ToArray());
            var page = new JsonObject
            {
                ["resultsPerPage"] = slice.Count,
                ["startIndex"] = start,
                ["totalResults"] = _all.Count,
                ["format"] = "NVD_CVE",
                ["version"] = "2.0",
                ["vulnerabilities"] = slice,
            };
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(page.ToJsonString()) });
        }
    }

    /// <summary>Virtual clock: every timer fires at once and moves the clock by its due time.</summary>
    private sealed class AutoAdvancingTime : TimeProvider
    {
        private long _ticks = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        private readonly DateTimeOffset _start = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

        public TimeSpan Elapsed => GetUtcNow() - _start;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime > TimeSpan.Zero) Interlocked.Add(ref _ticks, dueTime.Ticks);
            _ = Task.Run(() => callback(state));
            return new NoTimer();
        }

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Pages_through_every_result_with_the_api_key()
    {
        using var fake = new FakeNvd();
        using var http = new HttpClient(fake);
        var client = new NvdClient(http, new NvdClientOptions { ApiKey = "secret-key", ResultsPerPage = 5 }, new AutoAdvancingTime());
        var cves = await client.GetAllAsync(new FeedProblemList()).ToListAsync();
        Assert.Equal(fake.Total, cves.Count);
        Assert.Equal(cves.Count, cves.Select(c => c.Id).Distinct().Count());
        Assert.Equal(["0", "5", "10", "15"], fake.Requests.Select(r => HttpUtility.ParseQueryString(r.RequestUri!.Query)["startIndex"]));
        Assert.All(fake.Requests, r => Assert.Equal("secret-key", r.Headers.GetValues("apiKey").Single()));
    }

    [Fact]
    public async Task Without_a_key_no_more_than_five_requests_per_30_seconds()
    {
        using var fake = new FakeNvd();
        using var http = new HttpClient(fake);
        var time = new AutoAdvancingTime();
        var client = new NvdClient(http, new NvdClientOptions { ResultsPerPage = 2 }, time);
        var cves = await client.GetAllAsync(new FeedProblemList()).ToListAsync();
        Assert.Equal(16, cves.Count);
        Assert.Equal(8, fake.Requests.Count);
        Assert.False(fake.Requests[0].Headers.Contains("apiKey"));
        // Requests 6..8 must wait for the window of request 1 to pass.
        Assert.True(time.Elapsed >= TimeSpan.FromSeconds(30), $"virtual time {time.Elapsed}");
        Assert.True(time.Elapsed < TimeSpan.FromSeconds(60), $"virtual time {time.Elapsed}");
    }

    [Fact]
    public async Task Backs_off_on_403_429_503_and_honours_retry_after()
    {
        using var fake = new FakeNvd { RetryAfter = TimeSpan.FromSeconds(20) };
        fake.Failures.Enqueue(HttpStatusCode.Forbidden);
        fake.Failures.Enqueue(HttpStatusCode.TooManyRequests);
        fake.Failures.Enqueue(HttpStatusCode.ServiceUnavailable);
        using var http = new HttpClient(fake);
        var time = new AutoAdvancingTime();
        var client = new NvdClient(http, new NvdClientOptions { ApiKey = "k", ResultsPerPage = 2000 }, time);
        var cves = await client.GetAllAsync(new FeedProblemList()).ToListAsync();
        Assert.Equal(16, cves.Count);
        Assert.Equal(4, client.RequestCount);
        Assert.True(time.Elapsed >= TimeSpan.FromSeconds(60), $"virtual time {time.Elapsed}");
    }

    [Fact]
    public async Task Gives_up_with_a_typed_error_after_the_retries()
    {
        using var fake = new FakeNvd();
        for (var i = 0; i < 10; i++) fake.Failures.Enqueue(HttpStatusCode.TooManyRequests);
        using var http = new HttpClient(fake);
        var client = new NvdClient(http, new NvdClientOptions { ApiKey = "k", MaxRetries = 2 }, new AutoAdvancingTime());
        var error = await Assert.ThrowsAsync<NvdRequestException>(() => client.GetAllAsync(new FeedProblemList()).ToListAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, error.Status);
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task Not_found_is_not_retried()
    {
        using var fake = new FakeNvd();
        fake.Failures.Enqueue(HttpStatusCode.NotFound);
        using var http = new HttpClient(fake);
        var client = new NvdClient(http, new NvdClientOptions { ApiKey = "k" }, new AutoAdvancingTime());
        await Assert.ThrowsAsync<NvdRequestException>(() => client.GetAllAsync(new FeedProblemList()).ToListAsync());
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Increments_are_split_into_120_day_windows()
    {
        using var fake = new FakeNvd();
        using var http = new HttpClient(fake);
        var client = new NvdClient(http, new NvdClientOptions { ApiKey = "k" }, new AutoAdvancingTime());
        var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await client.GetModifiedAsync(from, from.AddDays(200), new FeedProblemList()).ToListAsync();
        var windows = fake.Requests.Select(r => HttpUtility.ParseQueryString(r.RequestUri!.Query))
            .Select(q => (Start: DateTimeOffset.Parse(q["lastModStartDate"]!, System.Globalization.CultureInfo.InvariantCulture), End: DateTimeOffset.Parse(q["lastModEndDate"]!, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(2, windows.Count);
        Assert.Equal(from, windows[0].Start);
        Assert.Equal(from.AddDays(120), windows[0].End);
        Assert.Equal(from.AddDays(120), windows[1].Start);
        Assert.Equal(from.AddDays(200), windows[1].End);
        Assert.Contains("%2B00%3A00", fake.Requests[0].RequestUri!.OriginalString, StringComparison.Ordinal);
    }
}
