namespace SupplyChainMesh.PolicyEngine.Model;

/// <summary>
/// The latest verdict of one policy on one image under one tag. Keyed by (policy, registry, repository, digest, tag);
/// <see cref="Fingerprint"/> says whether a re-evaluation has anything new to publish.
/// </summary>
public sealed class StoredVerdict
{
    public Guid PolicyId { get; set; }
    public required string Registry { get; set; }
    public required string Repository { get; set; }
    public required string Digest { get; set; }

    /// <summary>The tag the image was assessed under; empty when it was addressed by digest only.</summary>
    public required string Tag { get; set; }

    public required string PolicyName { get; set; }

    /// <summary><c>satisfied</c> or <c>violated</c>.</summary>
    public required string Outcome { get; set; }

    public required string Fingerprint { get; set; }

    public string? TargetRepository { get; set; }
    public string? TargetTag { get; set; }

    /// <summary>The library's <c>PolicyVerdict</c> as JSON: every criterion with its reason and offending findings.</summary>
    public required string Document { get; set; }

    public Guid ReportId { get; set; }
    public DateTimeOffset EvaluatedAt { get; set; }
}
