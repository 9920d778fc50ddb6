namespace SupplyChainMesh.Analysis.Nvd;

/// <summary>How to talk to the NVD CVE API 2.0. Defaults follow NVD's documented limits.</summary>
public sealed record NvdClientOptions
{
    public Uri BaseUri { get; init; } = new("https://services.nvd.nist.gov/rest/json/cves/2.0");

    /// <summary>Sent as the <c>apiKey</c> header; raises the limit from 5 to 50 requests per 30 s.</summary>
    public string? ApiKey { get; init; }

    /// <summary>NVD's maximum is 2,000.</summary>
    public int ResultsPerPage { get; init; } = 2000;

    /// <summary>The rolling window of NVD's rate limit.</summary>
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests per window: 5 without a key, 50 with one (NVD "Getting started", rate limits).</summary>
    public int RequestsPerWindow => ApiKey is { Length: > 0 } ? 50 : 5;

    /// <summary>Retries of one request after 403/429/503, 5xx or a network error.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>First back-off; doubles per retry (NVD suggests sleeping 6 s between requests).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(6);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>NVD rejects date ranges longer than 120 consecutive days, so longer increments are split.</summary>
    public static TimeSpan MaxDateRange { get; } = TimeSpan.FromDays(120);
}
