namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>Why a registry event was not acted on: the <c>reason</c> tag of <c>scm.ingest.events.ignored</c>.</summary>
public static class IgnoredReasons
{
    /// <summary>A layer or config blob was pushed or deleted.</summary>
    public const string Blob = "blob";

    /// <summary>A pull (or mount): nothing new to scan.</summary>
    public const string Pull = "pull";

    /// <summary>A manifest of a media type the mesh does not scan (Docker schema 1, Helm, an unknown one).</summary>
    public const string UnknownMediaType = "unknown-media-type";

    /// <summary>A Harbor event other than <c>PUSH_ARTIFACT</c> (pulls, deletes, scans, quota...).</summary>
    public const string HarborType = "harbor-type";

    /// <summary>An action the mesh does not handle, or a delete naming neither a digest nor a tag.</summary>
    public const string OtherAction = "other-action";
}
