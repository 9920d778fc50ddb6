using System.Text.Json;

namespace SupplyChainMesh.Analysis.Tests.LanguageDetection;

/// <summary>What Trivy reported for a test image (<c>peer-sbom/&lt;tag&gt;.cdx.json</c>), per Trivy package type.</summary>
internal static class PeerInventory
{
    /// <summary>(name, version) of components whose <c>aquasecurity:trivy:PkgType</c> is <paramref name="trivyType"/>;
    /// the name includes the CycloneDX group as Trivy writes it (<c>group/name</c> for npm scopes and Maven groups).</summary>
    public static IReadOnlyList<(string Name, string Version, string? FilePath)> Components(string tag, string trivyType)
    {
        var path = Path.Combine(TestImageScan.ImagesDirectory, "peer-sbom", tag + ".cdx.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var result = new List<(string, string, string?)>();
        if (!document.RootElement.TryGetProperty("components", out var components)) return result;
        foreach (var component in components.EnumerateArray())
        {
            string? type = null, filePath = null;
            if (component.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateArray())
                {
                    var name = property.GetProperty("name").GetString();
                    if (name == "aquasecurity:trivy:PkgType") type = property.GetProperty("value").GetString();
                    else if (name == "aquasecurity:trivy:FilePath") filePath = property.GetProperty("value").GetString();
                }
            }
            if (type != trivyType) continue;
            var componentName = component.GetProperty("name").GetString()!;
            if (component.TryGetProperty("group", out var group) && group.GetString() is { Length: > 0 } g) componentName = g + "/" + componentName;
            var version = component.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "";
            result.Add((componentName, version, filePath));
        }
        return result;
    }
}
