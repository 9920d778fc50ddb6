namespace SupplyChainMesh.Ingest.Timeline;

/// <summary>The pipeline's states of an image, in the order they are reached.</summary>
public static class ImageStates
{
    public const string Pushed = "pushed";
    public const string Scanning = "scanning";
    public const string Scanned = "scanned";
    public const string ScanFailed = "scan-failed";

    /// <summary>An OCI artifact (VEX, signature, SBOM), not an image: nothing to scan, assess or promote.</summary>
    public const string Artifact = "artifact";
    public const string Assessed = "assessed";
    public const string Blocked = "blocked";
    public const string Approved = "approved";
    public const string PromotionFailed = "promotion-failed";
    public const string Promoted = "promoted";

    public static int Rank(string state) => state switch
    {
        Pushed => 1,
        Scanning => 2,
        Scanned or ScanFailed or Artifact => 3,
        Assessed => 4,
        Blocked or Approved => 5,
        PromotionFailed => 6,
        Promoted => 7,
        _ => 0,
    };

    /// <summary>Moves <paramref name="status"/> to <paramref name="state"/> unless it is already further along.</summary>
    public static void Advance(ImageStatus status, string state)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (Rank(state) >= Rank(status.State)) status.State = state;
    }
}
