namespace SupplyChainMesh.Analysis.Maven;

/// <summary>
/// The main section of a JAR manifest (<c>META-INF/MANIFEST.MF</c>) and the Maven coordinates Trivy derives from it
/// when a jar has no pom.properties of its own: group from Implementation-Vendor-Id, else the Bundle-SymbolicName
/// minus its last segment, else Implementation-Vendor or Specification-Vendor; artifact from Implementation-Title,
/// Specification-Title or Bundle-Name; version from Implementation-, Specification- or Bundle-Version.
/// </summary>
internal sealed class JarManifest
{
    private readonly Dictionary<string, string> _attributes = new(StringComparer.OrdinalIgnoreCase);

    public static JarManifest Parse(string text)
    {
        var manifest = new JarManifest();
        string? key = null;
        var value = new System.Text.StringBuilder();
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty) break; // end of the main section
            if (line[0] == ' ')
            {
                // Lines are wrapped at 72 bytes; a continuation starts with one space.
                if (key is not null) value.Append(line[1..]);
                continue;
            }
            manifest.Add(key, value);
            var colon = line.IndexOf(": ");
            if (colon <= 0)
            {
                key = null;
                continue;
            }
            key = line[..colon].ToString();
            value.Clear().Append(line[(colon + 2)..]);
        }
        manifest.Add(key, value);
        return manifest;
    }

    private void Add(string? key, System.Text.StringBuilder value)
    {
        if (key is not null) _attributes.TryAdd(key, value.ToString().Trim());
    }

    private string? Get(string key) => _attributes.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    /// <summary>
    /// When the bundle's symbolic name ends in the artifactId of the file name (org.tukaani.xz and xz-1.9.jar), the
    /// rest of it is the group: the coordinates a Java index would have given (org.tukaani:xz:1.9).
    /// </summary>
    public MavenCoordinates? CoordinatesFromBundleAndFileName(string artifactId, string version)
    {
        var symbolicName = Get("Bundle-SymbolicName");
        if (symbolicName is null) return null;
        var directive = symbolicName.IndexOf(';', StringComparison.Ordinal);
        if (directive >= 0) symbolicName = symbolicName[..directive].Trim();
        return symbolicName.EndsWith("." + artifactId, StringComparison.Ordinal) && symbolicName.Length > artifactId.Length + 1
            ? new MavenCoordinates(symbolicName[..^(artifactId.Length + 1)], artifactId, version)
            : null;
    }

    public MavenCoordinates? Coordinates()
    {
        var symbolicName = Get("Bundle-SymbolicName");
        if (symbolicName is not null)
        {
            var directive = symbolicName.IndexOf(';', StringComparison.Ordinal);
            if (directive >= 0) symbolicName = symbolicName[..directive].Trim();
            var dot = symbolicName.LastIndexOf('.');
            if (dot > 0) symbolicName = symbolicName[..dot];
        }
        var group = Get("Implementation-Vendor-Id") ?? (string.IsNullOrEmpty(symbolicName) ? null : symbolicName)
            ?? Get("Implementation-Vendor") ?? Get("Specification-Vendor");
        var artifact = Get("Implementation-Title") ?? Get("Specification-Title") ?? Get("Bundle-Name");
        var version = Get("Implementation-Version") ?? Get("Specification-Version") ?? Get("Bundle-Version");
        return group is null || artifact is null || version is null ? null : new MavenCoordinates(group, artifact, version);
    }
}
