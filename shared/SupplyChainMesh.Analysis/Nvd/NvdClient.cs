using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using SupplyChainMesh.Analysis.Advisories;

namespace SupplyChainMesh.Analysis.Nvd;

/// <summary>Thrown when NVD keeps refusing or failing a request after every retry.</summary>
public sealed class NvdRequestException(string message, HttpStatusCode? status, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// Pages through the NVD CVE API 2.0: <c>startIndex</c>/<c>resultsPerPage</c> until <c>totalResults</c>, the
/// <c>apiKey</c> header when configured, NVD's rolling-window rate limit, and increments by
/// <c>lastModStartDate</c>/<c>lastModEndDate</c> (split into NVD's maximum of 120 days). 403 (NVD's answer when the
/// limit is exceeded), 429, 503, other 5xx and network errors are retried with exponential back-off (or
/// <c>Retry-After</c> when given).
/// </summary>
public sealed class NvdClient
{
    private readonly HttpClient _http;
    private readonly NvdClientOptions _options;
    private readonly TimeProvider _time;
    private readonly SlidingWindowRateLimiter _limiter;

    public NvdClient(HttpClient http, NvdClientOptions? options = null, TimeProvider? time = null)
    {
        _http = http;
        _options = options ?? new NvdClientOptions();
        _time = time ?? TimeProvider.System;
        _limiter = new SlidingWindowRateLimiter(_options.RequestsPerWindow, _options.RateWindow, _time);
    }

    /// <summary>Requests sent, retries included.</summary>
    public int RequestCount { get; private set; }

    /// <summary>Every CVE (no date filter). A full download: hundreds of pages.</summary>
    public IAsyncEnumerable<Advisory> GetAllAsync(IFeedProblemSink problems, CancellationToken cancellationToken = default) =>
        PagesAsync(null, problems, cancellationToken);

    /// <summary>CVEs modified in [<paramref name="from"/>, <paramref name="to"/>], for incremental updates.</summary>
    public async IAsyncEnumerable<Advisory> GetModifiedAsync(DateTimeOffset from, DateTimeOffset to, IFeedProblemSink problems, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (to < from) throw new ArgumentException("The end of the range is before its start.", nameof(to));
        for (var start = from; start < to; start += NvdClientOptions.MaxDateRange)
        {
            var end = start + NvdClientOptions.MaxDateRange < to ? start + NvdClientOptions.MaxDateRange : to;
            var filter = $"lastModStartDate={FormatDate(start)}&lastModEndDate={FormatDate(end)}";
            await foreach (var cve in PagesAsync(filter, problems, cancellationToken).ConfigureAwait(false))
                yield return cve;
        }
    }

    private async IAsyncEnumerable<Advisory> PagesAsync(string? filter, IFeedProblemSink problems, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var startIndex = 0;
        while (true)
        {
            var query = $"startIndex={startIndex}&resultsPerPage={_options.ResultsPerPage}" + (filter is null ? "" : "&" + filter);
            var uri = new Uri(_options.BaseUri + "?" + query);
            var page = await GetPageAsync(uri, problems, cancellationToken).ConfigureAwait(false);
            foreach (var cve in page.Cves) yield return cve;
            var served = page.ResultsPerPage > 0 ? page.ResultsPerPage : page.Cves.Count;
            startIndex = page.StartIndex + served;
            if (served == 0 || startIndex >= page.TotalResults) yield break;
        }
    }

    private async Task<NvdPage> GetPageAsync(Uri uri, IFeedProblemSink problems, CancellationToken cancellationToken)
    {
        var backoff = _options.InitialBackoff;
        for (var attempt = 0; ; attempt++)
        {
            await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (_options.ApiKey is { Length: > 0 } key) request.Headers.TryAddWithoutValidation("apiKey", key);
            RequestCount++;
            HttpStatusCode? status = null;
            TimeSpan? retryAfter = null;
            Exception? failure = null;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                status = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await using (body.ConfigureAwait(false))
                    {
                        var pageProblems = new FeedProblemList();
                        var page = await NvdCveParser.ParsePageAsync(body, pageProblems, cancellationToken).ConfigureAwait(false);
                        if (page is not null)
                        {
                            foreach (var p in pageProblems.Problems) problems.Problem(p);
                            return page;
                        }
                        // A truncated or garbled page is retried like a server error, never half-applied.
                        failure = new InvalidDataException(string.Join("; ", pageProblems.Problems));
                    }
                }
                else if (!IsRetryable(response.StatusCode))
                {
                    throw new NvdRequestException($"NVD answered {(int)response.StatusCode} {response.ReasonPhrase} for {uri}", response.StatusCode);
                }
                retryAfter = response.Headers.RetryAfter switch
                {
                    { Delta: { } delta } => delta,
                    { Date: { } date } => date - _time.GetUtcNow(),
                    _ => null,
                };
            }
            catch (HttpRequestException ex)
            {
                failure = ex;
            }
            catch (IOException ex)
            {
                failure = ex;
            }
            if (attempt >= _options.MaxRetries)
                throw new NvdRequestException($"NVD request {uri} failed after {attempt + 1} attempts (last status {(status is null ? "none" : ((int)status).ToString(CultureInfo.InvariantCulture))}).", status, failure);
            var wait = retryAfter is { } ra && ra > TimeSpan.Zero ? ra : backoff;
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    // ISO-8601 with an explicit offset; '+' must be escaped in a query string.
    private static string FormatDate(DateTimeOffset value) =>
        Uri.EscapeDataString(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'", CultureInfo.InvariantCulture));
}
