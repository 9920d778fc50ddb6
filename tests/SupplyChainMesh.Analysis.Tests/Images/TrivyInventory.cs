using System.Text.Json;

namespace SupplyChainMesh.Analysis.Tests.Images;

/// <summary>One package of an inventory as both sides can say it: purl type, full name (namespace/name for language
/// packages, the bare name for OS packages whose namespace is the distribution), version (with the Debian/RPM epoch).</summary>
internal sealed record InventoryKey(string Ecosystem, string Name, string Version)
{
    public override string ToString() => $"{Ecosystem} {Name} {Version}";
}

/// <summary>Trivy's package inventory of a test image, read from the purls of <c>peer-sbom/&lt;tag&gt;.cdx.json</c>.</summary>
internal static class TrivyInventory
{
    /// <summary>OS package types: their purl namespace is the distribution, not part of the package's name.</summary>
    public static readonly HashSet<string> OsTypes = new(StringComparer.Ordinal) { "deb", "rpm", "apk" };

    public static IReadOnlySet<InventoryKey> Read(string sbomPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(sbomPath));
        var keys = new HashSet<InventoryKey>();
        if (!document.RootElement.TryGetProperty("components", out var components)) return keys;
        foreach (var component in components.EnumerateArray())
        {
            if (component.TryGetProperty("purl", out var purl) && purl.GetString() is { Length: > 0 } text) keys.Add(FromPurl(text));
        }
        return keys;
    }

    /// <summary>Trivy writes the epoch as a qualifier (<c>?epoch=1</c>) and the version without it; we keep it in the version.</summary>
    public static InventoryKey FromPurl(string purl)
    {
        var rest = purl["pkg:".Length..];
        string? qualifiers = null;
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0) (rest, qualifiers) = (rest[..question], rest[(question + 1)..]);
        var at = rest.LastIndexOf('@');
        var version = at < 0 ? "" : Uri.UnescapeDataString(rest[(at + 1)..]);
        var path = at < 0 ? rest : rest[..at];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var type = path[..slash];
        var segments = path[(slash + 1)..].Split('/').Select(Uri.UnescapeDataString).ToArray();
        var name = OsTypes.Contains(type) ? segments[^1] : string.Join('/', segments);
        var epoch = qualifiers?.Split('&').Select(q => q.Split('=', 2)).FirstOrDefault(q => q[0] == "epoch")?[1];
        if (epoch is { Length: > 0 } and not "0") version = $"{epoch}:{version}";
        return new InventoryKey(type, name, version);
    }
}
