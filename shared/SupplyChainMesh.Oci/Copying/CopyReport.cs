namespace SupplyChainMesh.Oci.Copying;

/// <summary>What happened to one blob during a copy.</summary>
public enum BlobCopyAction
{
    /// <summary>The target repository already had it (HEAD 200).</summary>
    Skipped,

    /// <summary>Cross-repository mount answered 201.</summary>
    Mounted,

    /// <summary>Streamed from the source into an upload session (after a 202 mount fallback, or across registries).</summary>
    Copied,
}

public sealed record BlobCopyResult(string Digest, long Size, BlobCopyAction Action);

/// <summary>The outcome of copying one image (a manifest, or an index with all its children).</summary>
public sealed record CopyReport(string SourceRepository, string TargetRepository, string Tag, string Digest, string MediaType,
    IReadOnlyList<string> Manifests, IReadOnlyList<BlobCopyResult> Blobs)
{
    public int Count(BlobCopyAction action) => Blobs.Count(b => b.Action == action);
}

/// <summary>The outcome of a move: the copy, and whether (and how) the source tag went away.</summary>
public sealed record MoveReport(CopyReport Copy, bool SourceTagRemoved, string How);
