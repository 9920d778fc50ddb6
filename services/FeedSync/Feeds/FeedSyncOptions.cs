namespace SupplyChainMesh.FeedSync.Feeds;

/// <summary><c>FeedSync</c> configuration: where the feeds come from and how often.</summary>
public sealed class FeedSyncOptions
{
    /// <summary>A folder shaped like <c>../shared/feeds/</c> (an air-gapped mirror). Every top-level folder of it with a
    /// readable format is a source, unless <see cref="Sources"/> names the sources explicitly.</summary>
    public string? MirrorRoot { get; set; }

    /// <summary>Sources by name. A source is a folder (or file) of <see cref="MirrorRoot"/>, or an HTTP URL.</summary>
    public Dictionary<string, FeedSourceOptions> Sources { get; set; } = [];

    /// <summary>How often a source is synchronised unless it says otherwise.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>A source whose last success is older than this is reported stale.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How often the scheduler looks for due sources.</summary>
    public TimeSpan SchedulerTick { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often distinct packages that no stored inventory holds any more are deleted.</summary>
    public TimeSpan PackageCollectionInterval { get; set; } = TimeSpan.FromHours(1);
}

public sealed class FeedSourceOptions
{
    /// <summary>Folder or file relative to <see cref="FeedSyncOptions.MirrorRoot"/> (default: the source's name), or an absolute path.</summary>
    public string? Path { get; set; }

    /// <summary>An HTTP(S) URL of one feed file (JSON lines, JSON, zip, KEV JSON, EPSS CSV).</summary>
    public Uri? Url { get; set; }

    /// <summary>The format of <see cref="Url"/>: <c>osv</c>, <c>alpine-secdb</c>, <c>nvd</c>, <c>kev</c>, <c>epss</c>.</summary>
    public string? Format { get; set; }

    /// <summary><c>file</c> (default: <see cref="Url"/> is one feed file) or <c>nvd-api</c> (<see cref="Url"/> is the NVD CVE
    /// API 2.0, paged, with increments by <c>lastModStartDate</c> from the recorded watermark). A source with format
    /// <c>nvd</c> whose URL ends in <c>/cves/2.0</c> is the API without saying so.</summary>
    public string? Type { get; set; }

    /// <summary>NVD API key (sent as the <c>apiKey</c> header; raises NVD's limit from 5 to 50 requests per 30 s).</summary>
    public string? ApiKey { get; set; }

    /// <summary>NVD page size (NVD's maximum and the default: 2,000).</summary>
    public int? ResultsPerPage { get; set; }

    /// <summary>First back-off after an NVD 403/429/5xx (default 6 s, doubling).</summary>
    public TimeSpan? InitialBackoff { get; set; }

    /// <summary>NVD API: records committed per transaction (10,000). A first sync of the whole NVD (about 300,000 CVEs)
    /// is then never held in memory whole; an interrupted one starts again from the last complete watermark.</summary>
    public int? RecordsPerCommit { get; set; }

    public TimeSpan? Interval { get; set; }

    public TimeSpan? StaleAfter { get; set; }
}
