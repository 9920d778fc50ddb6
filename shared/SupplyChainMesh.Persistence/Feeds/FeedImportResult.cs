namespace SupplyChainMesh.Persistence.Feeds;

/// <summary>Which feed a batch belongs to: the configured source (<c>ghsa</c>), the feed inside it (a file of the
/// mirror, <c>ghsa/ghsa-npm.osv</c>) and what was read (a sha256, an ETag), recorded with the commit.</summary>
/// <param name="Snapshot">The batch is the whole feed: records of the feed missing from it were removed upstream and are
/// withdrawn. False for increments (NVD's <c>lastModStartDate</c> windows).</param>
public sealed record FeedBatch(string Source, string Feed, string Watermark, bool Snapshot = true);

/// <summary>What one committed import changed. <see cref="AffectedKeys"/> are the package keys of every added, changed or
/// withdrawn record (before and after the change): the stored images to re-match.</summary>
public sealed record FeedImportResult
{
    public required string Source { get; init; }

    public required string Feed { get; init; }

    /// <summary>The watermark equalled the last committed one: nothing was read or written.</summary>
    public bool UpToDate { get; init; }

    public int Records { get; init; }

    public int Added { get; init; }

    public int Changed { get; init; }

    /// <summary>Records that became withdrawn (flag, <c>Withdrawn:</c> summary, or gone from a snapshot).</summary>
    public int Withdrawn { get; init; }

    public int Unchanged { get; init; }

    public int Malformed { get; init; }

    /// <summary>A whole-document enrichment (KEV, EPSS) changed.</summary>
    public bool DocumentChanged { get; init; }

    public DateTimeOffset? NewestRecord { get; init; }

    public IReadOnlySet<string> AffectedKeys { get; init; } = new HashSet<string>();

    public IReadOnlyList<string> ChangedIds { get; init; } = [];

    public bool ChangedSomething => Added + Changed + Withdrawn > 0 || DocumentChanged;

    public static FeedImportResult Skipped(FeedBatch batch) => new() { Source = batch.Source, Feed = batch.Feed, UpToDate = true };
}

/// <summary>A record an import skipped, as stored: visible in the feed status.</summary>
public sealed record StoredFeedProblem(string Feed, string? RecordId, string Location, string Reason);

/// <summary>A stored advisory with where it came from.</summary>
public sealed record StoredAdvisory(string Source, string Feed, string Id, bool Withdrawn, DateTimeOffset ImportedAt, string RecordJson);

/// <summary>What the store holds for one source.</summary>
public sealed record FeedSourceSummary(string Source, int Records, int Withdrawn, int Malformed, DateTimeOffset? NewestRecord, DateTimeOffset? LastImport);
