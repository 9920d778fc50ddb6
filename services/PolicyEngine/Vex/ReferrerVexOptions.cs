namespace SupplyChainMesh.PolicyEngine.Vex;

/// <summary>How PolicyEngine reads VEX documents attached to images as OCI referrers (section <c>PolicyEngine:ReferrerVex</c>).</summary>
public sealed class ReferrerVexOptions
{
    public const string Section = "PolicyEngine:ReferrerVex";

    public bool Enabled { get; set; } = true;

    /// <summary>The whole look-up of one image (referrers, manifests, blobs): past it the image is evaluated without them.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the VEX found for a digest is reused. A digest's referrers change only when someone attaches one;
    /// a <c>PolicyInputsChanged</c> with <c>Kind = vex</c> drops the cache on every replica at once.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a failed look-up is remembered, so an unreachable registry costs one timeout per digest, not one per evaluation.</summary>
    public TimeSpan FailureCacheFor { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A VEX blob larger than this is skipped (and logged).</summary>
    public int MaxDocumentBytes { get; set; } = 4 * 1024 * 1024;
}
