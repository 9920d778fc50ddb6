namespace SupplyChainMesh.Analysis.Maven;

/// <summary>Bounds on reading Java archives; each guards memory or time against huge or hostile archives.</summary>
public sealed record JarDetectorOptions
{
    /// <summary>Largest archive (top-level or nested) buffered in memory to be read as a zip.</summary>
    public int MaxArchiveBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>How many archives deep nested jars are followed (a war's WEB-INF/lib jars are depth 1).</summary>
    public int MaxNestingDepth { get; init; } = 3;

    /// <summary>Largest pom.properties or MANIFEST.MF read.</summary>
    public int MaxMetadataBytes { get; init; } = 1024 * 1024;

    /// <summary>Total bytes inflated for one layer file, nested archives included.</summary>
    public long MaxInflatedBytesPerFile { get; init; } = 256L * 1024 * 1024;
}
