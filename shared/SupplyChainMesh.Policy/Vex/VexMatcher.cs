using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Patterns;

namespace SupplyChainMesh.Policy.Vex;

/// <summary>
/// Decides whether a VEX statement speaks about a finding of an image. The vulnerability matches by id or alias
/// (either side's). A product matches when it is the image — its manifest digest, a <c>pkg:oci</c> purl whose version
/// is that digest or (without version) whose <c>repository_url</c> is the image's repository, or the repository name
/// itself — and then covers every finding of the image, or only the findings in its subcomponents when it lists any;
/// or when it is the finding's package purl (without version: any version).
/// </summary>
public static class VexMatcher
{
    public static bool Applies(VexStatement statement, ImageAssessment image, Finding finding)
    {
        if (!NamesVulnerability(statement, finding)) return false;
        foreach (var product in statement.Products)
        {
            if (IdentifiesImage(product.Id, image))
            {
                if (product.Subcomponents.Count == 0) return true;
                foreach (var sub in product.Subcomponents)
                    if (sub.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase) && PurlText.Matches(sub, finding.PackagePurl)) return true;
            }
            else if (product.Id.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase) &&
                     !product.Id.StartsWith("pkg:oci/", StringComparison.OrdinalIgnoreCase) &&
                     PurlText.Matches(product.Id, finding.PackagePurl))
            {
                return true;
            }
        }
        return false;
    }

    private static bool NamesVulnerability(VexStatement statement, Finding finding)
    {
        if (statement.Names(finding.VulnerabilityId)) return true;
        foreach (var alias in finding.Aliases)
            if (statement.Names(alias)) return true;
        return false;
    }

    internal static bool IdentifiesImage(string id, ImageAssessment image)
    {
        if (string.Equals(id, image.ManifestDigest, StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(id, image.Repository, StringComparison.Ordinal)) return true;
        if (image.Registry.Length > 0 && id.Length == image.Registry.Length + 1 + image.Repository.Length &&
            id.StartsWith(image.Registry, StringComparison.OrdinalIgnoreCase) && id[image.Registry.Length] == '/' &&
            id.EndsWith(image.Repository, StringComparison.Ordinal))
            return true;
        if (!id.StartsWith("pkg:oci/", StringComparison.OrdinalIgnoreCase)) return false;
        PackageUrl purl;
        try
        {
            purl = PackageUrl.Parse(id);
        }
        catch (FormatException)
        {
            return false;
        }
        if (purl.Version is { } digest)
            return string.Equals(digest, image.ManifestDigest, StringComparison.OrdinalIgnoreCase);
        // pkg:oci/app?repository_url=registry.example.com/dev/app: the repository, every digest of it.
        if (purl.Qualifiers is not null && purl.Qualifiers.TryGetValue("repository_url", out var url))
            return string.Equals(url, $"{image.Registry}/{image.Repository}", StringComparison.OrdinalIgnoreCase);
        return false;
    }
}
