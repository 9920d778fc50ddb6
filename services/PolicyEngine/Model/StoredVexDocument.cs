namespace SupplyChainMesh.PolicyEngine.Model;

/// <summary>An uploaded VEX document (OpenVEX or CycloneDX), kept as sent; its statements are parsed when it is
/// accepted and again when the evaluation cache loads it.</summary>
public sealed class StoredVexDocument
{
    public Guid Id { get; set; }

    /// <summary>The document's own id (OpenVEX <c>@id</c>, CycloneDX <c>serialNumber</c>), when it has one.</summary>
    public string? DocumentId { get; set; }

    /// <summary><c>openvex</c> or <c>cyclonedx</c>.</summary>
    public required string Format { get; set; }

    public int StatementCount { get; set; }

    /// <summary>Where it came from: <c>upload</c>, or the image digest it was attached to as an OCI referrer.</summary>
    public required string Source { get; set; }

    public required string Document { get; set; }

    public DateTimeOffset UploadedAt { get; set; }

    public string? UploadedBy { get; set; }
}
