using MassTransit;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>The scan saga's state, one row per (registry, repository, manifest digest).</summary>
public sealed class ImageScanState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = "Initial";

    public string Registry { get; set; } = "";
    public string Repository { get; set; } = "";
    public string Digest { get; set; } = "";
    public string MediaType { get; set; } = "";

    /// <summary>Every tag this digest was pushed under.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>The platform manifest whose layers are scanned (the digest itself unless an index was pushed).</summary>
    public string? PlatformDigest { get; set; }

    /// <summary>Layer digests, bottom first.</summary>
    public List<string> Layers { get; set; } = [];

    /// <summary>Layers whose findings are stored.</summary>
    public List<string> LayersDone { get; set; } = [];

    public string? AnalyzerVersion { get; set; }

    /// <summary>Set when the manifest is an OCI artifact, not an image: the scan ends as NotAnImage.</summary>
    public string? ArtifactType { get; set; }

    /// <summary>How often the missing layers of a stalled scan were sent again.</summary>
    public int Resends { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
