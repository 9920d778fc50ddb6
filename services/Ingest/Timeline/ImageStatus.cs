namespace SupplyChainMesh.Ingest.Timeline;

/// <summary>Where one image (registry, repository, manifest digest) stands in the pipeline, kept from the pipeline's
/// events. <see cref="State"/> only moves forward (<see cref="ImageStates.Rank"/>): events arrive on several queues and
/// may overtake one another.</summary>
public sealed class ImageStatus
{
    public required string Registry { get; set; }
    public required string Repository { get; set; }
    public required string Digest { get; set; }
    public string State { get; set; } = ImageStates.Pushed;
    public List<string> Tags { get; set; } = [];

    public int LayersDone { get; set; }
    public int? LayersTotal { get; set; }
    public string? ScanFailure { get; set; }

    public Guid? ReportId { get; set; }
    public int? Critical { get; set; }
    public int? High { get; set; }
    public int? Medium { get; set; }
    public int? Low { get; set; }
    public int? Negligible { get; set; }
    public int? Unknown { get; set; }
    public int? Kev { get; set; }
    public int? Fixable { get; set; }

    /// <summary>The latest verdict per policy (<see cref="PolicyVerdict"/> list as JSON).</summary>
    public string Verdicts { get; set; } = "[]";

    /// <summary>Where the image was promoted to (<c>registry/repository:tag</c>).</summary>
    public List<string> PromotedTo { get; set; } = [];
    public string? PromotionFailure { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One step in an image's history.</summary>
public sealed class ImageHistoryEntry
{
    public long Id { get; set; }
    public required string Registry { get; set; }
    public required string Repository { get; set; }
    public required string Digest { get; set; }
    public required string Kind { get; set; }
    public required string Summary { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>A policy's verdict on the image.</summary>
public sealed record PolicyVerdict(Guid PolicyId, string PolicyName, bool Satisfied, IReadOnlyList<Contracts.FailedCriterion> FailedCriteria,
    string? Target, DateTimeOffset At);
