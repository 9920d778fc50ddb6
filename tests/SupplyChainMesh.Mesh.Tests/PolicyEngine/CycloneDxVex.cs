using System.Text;

namespace SupplyChainMesh.Mesh.Tests.PolicyEngine;

/// <summary>CycloneDX VEX documents as a CycloneDX tool writes them (a BOM whose subject is the image, the affected
/// library as a component, the vulnerability with its analysis and a BOM-Link to the component).</summary>
public static class CycloneDxVex
{
    /// <summary>The app-mixed image's minimist (CVE-2021-44906, GHSA-xvch-5gv4-984h) is not affected: code_not_reachable.</summary>
    public static byte[] MinimistNotAffected(string registry, string repository, string? digest = null)
    {
        var serial = Guid.NewGuid();
        var name = repository[(repository.LastIndexOf('/') + 1)..];
        var version = digest is null ? "" : "@" + Uri.EscapeDataString(digest);
        return Encoding.UTF8.GetBytes($$"""
            {
              "bomFormat": "CycloneDX",
              "specVersion": "1.5",
              "serialNumber": "urn:uuid:{{serial}}",
              "version": 1,
              "metadata": {
                "timestamp": "2026-11-29T12:00:00Z",
                "component": { "type": "container", "bom-ref": "image", "name": "{{registry}}/{{repository}}",
                               "purl": "pkg:oci/{{name}}{{version}}?repository_url={{registry}}/{{repository}}" }
              },
              "components": [
                { "type": "library", "bom-ref": "minimist", "name": "minimist", "purl": "pkg:npm/minimist" }
              ],
              "vulnerabilities": [
                {
                  "id": "CVE-2021-44906",
                  "source": { "name": "NVD", "url": "https://nvd.nist.gov/vuln/detail/CVE-2021-44906" },
                  "references": [ { "id": "GHSA-xvch-5gv4-984h", "source": { "name": "GitHub Advisories" } } ],
                  "analysis": {
                    "state": "not_affected",
                    "justification": "code_not_reachable",
                    "detail": "minimist only parses the build script's own arguments"
                  },
                  "affects": [ { "ref": "urn:cdx:{{serial}}/1#minimist" } ]
                }
              ]
            }
            """);
    }
}
