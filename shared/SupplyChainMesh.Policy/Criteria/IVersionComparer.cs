namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// Orders versions of one purl type with that ecosystem's rules (dpkg for <c>deb</c>, semver for <c>npm</c>, ...).
/// Component criteria compare through it so version ranges mean what the ecosystem means.
/// </summary>
public interface IVersionComparer
{
    /// <summary>True when <paramref name="version"/> is a version the scheme of <paramref name="purlType"/> can order.</summary>
    bool IsValid(string purlType, string version);

    /// <summary>Negative when <paramref name="left"/> sorts before <paramref name="right"/>, zero when equal, positive after.</summary>
    int Compare(string purlType, string left, string right);
}
