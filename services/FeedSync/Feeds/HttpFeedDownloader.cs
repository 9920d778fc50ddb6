using System.Net;
using System.Net.Http.Headers;

namespace SupplyChainMesh.FeedSync.Feeds;

/// <summary>What a conditional download found.</summary>
public sealed record FeedDownload(bool NotModified, string? File, string? ETag, DateTimeOffset? LastModified);

/// <summary>
/// Downloads one feed file over HTTP into a local file, completely or not at all: conditional on the last ETag /
/// Last-Modified (304 = nothing to do), resumed with <c>Range</c> + <c>If-Range</c> after a cut connection, retried with
/// exponential back-off (honouring <c>Retry-After</c> on 429/403/503), and checked against the announced length, so a
/// truncated body never reaches the importer.
/// </summary>
public sealed class HttpFeedDownloader(HttpClient http, ILogger<HttpFeedDownloader> logger)
{
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<FeedDownload> DownloadAsync(Uri url, string targetFile, string? etag, DateTimeOffset? lastModified, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var part = targetFile + ".part";
        if (File.Exists(part)) File.Delete(part);
        string? validator = null;
        long? total = null;
        Exception? last = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var have = File.Exists(part) ? new FileInfo(part).Length : 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (have > 0 && validator is not null)
            {
                request.Headers.Range = new RangeHeaderValue(have, null);
                request.Headers.IfRange = validator.StartsWith('"') || validator.StartsWith("W/", StringComparison.Ordinal)
                    ? new RangeConditionHeaderValue(new EntityTagHeaderValue(validator.TrimStart('W', '/'), validator.StartsWith("W/", StringComparison.Ordinal)))
                    : new RangeConditionHeaderValue(DateTimeOffset.Parse(validator, System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                if (lastModified is { } lm) request.Headers.IfModifiedSince = lm;
            }

            TimeSpan? retryAfter = null;
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode == HttpStatusCode.NotModified) return new FeedDownload(true, null, etag, lastModified);
                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Forbidden or HttpStatusCode.ServiceUnavailable
                    or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.InternalServerError)
                {
                    retryAfter = response.Headers.RetryAfter?.Delta
                        ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
                    throw new HttpRequestException($"{url} answered {(int)response.StatusCode}", null, response.StatusCode);
                }
                response.EnsureSuccessStatusCode();

                var append = response.StatusCode == HttpStatusCode.PartialContent && have > 0;
                if (!append) have = 0;
                total = append ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength;
                validator = response.Headers.ETag?.ToString() ?? response.Content.Headers.LastModified?.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                var file = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await using (file)
                {
                    var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    await body.CopyToAsync(file, cancellationToken);
                }
                var length = new FileInfo(part).Length;
                if (total is { } expected && length != expected)
                    throw new IOException($"{url}: the body ended after {length} of {expected} bytes");
                File.Move(part, targetFile, overwrite: true);
                return new FeedDownload(false, targetFile, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                last = ex;
                var wait = retryAfter is { } ra && ra > TimeSpan.Zero ? ra : FirstBackoff * Math.Pow(2, attempt - 1);
                logger.LogWarning("Download of {Url} failed (attempt {Attempt} of {Max}, {Have} bytes kept): {Reason}; retrying in {Wait}",
                    url, attempt, MaxAttempts, File.Exists(part) ? new FileInfo(part).Length : 0, ex.Message, wait);
                if (attempt < MaxAttempts) await Task.Delay(wait, cancellationToken);
            }
        }
        if (File.Exists(part)) File.Delete(part);
        throw new Persistence.Feeds.FeedImportException($"{url} could not be downloaded completely after {MaxAttempts} attempts: {last?.Message}", last!);
    }
}
