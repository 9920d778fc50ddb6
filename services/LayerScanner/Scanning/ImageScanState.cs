using MassTransit;
using SupplyChainMesh.Contracts;

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

    /// <summary>For an index: each runnable platform with its manifest and layers (stored as jsonb).</summary>
    public List<ScannedPlatform> Platforms { get; set; } = [];

    /// <summary>Distinct layer digests, bottom first (of all platforms of an index).</summary>
    public List<string> Layers { get; set; } = [];

    /// <summary>Layers whose findings are stored.</summary>
    public List<string> LayersDone { get; set; } = [];

    public string? AnalyzerVersion { get; set; }

    /// <summary>Set when the manifest is an OCI artifact, not an image: the scan ends as NotAnImage.</summary>
    public string? ArtifactType { get; set; }

    /// <summary>How often the missing layers of a stalled scan were sent again.</summary>
    public int Resends { get; set; }
    public string? FailureReason { get; set; }

    /// <summary>Set while the manifest could not be read for a reason that may pass (registry down, timeout): the scan
    /// waits in Scanning with no layers and the stall sweep resolves it again, up to <c>Scanner:LayerResends</c> times.</summary>
    public string? ResolveError { get; set; }

    /// <summary>Counts the runs of this scan (a re-push after a failure starts the next): part of the deterministic
    /// message id of the <see cref="ImageScanned"/> a run ends with.</summary>
    public int Generation { get; set; }

    /// <summary>The message id of the input that ended the run: when it is redelivered (the announcement may not have
    /// left, the broker went away after the commit), the final state announces again with the same message ids.</summary>
    public Guid? CompletedBy { get; set; }

    /// <summary>Who pushed the image, when the registry said.</summary>
    public string? PushedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
