using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// Compares versions with the ecosystem scheme of the purl type (<see cref="VersionSchemes.ForPurlType"/>: dpkg for
/// <c>deb</c>, npm semver, PEP 440, Maven, ...). Types without a scheme, and versions the scheme cannot read, fall
/// back to <see cref="GenericVersionComparer"/> so a range never throws during evaluation.
/// </summary>
public sealed class SchemeVersionComparer : IVersionComparer
{
    public static readonly SchemeVersionComparer Instance = new();

    public bool IsValid(string purlType, string version) =>
        VersionSchemes.ForPurlType(purlType) is { } scheme ? scheme.IsValid(version) : GenericVersionComparer.Instance.IsValid(purlType, version);

    public int Compare(string purlType, string left, string right)
    {
        if (VersionSchemes.ForPurlType(purlType) is { } scheme && scheme.IsValid(left) && scheme.IsValid(right))
            return scheme.Compare(left, right);
        return GenericVersionComparer.Instance.Compare(purlType, left, right);
    }
}
