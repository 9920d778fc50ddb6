namespace SupplyChainMesh.Analysis.Versions;

/// <summary>
/// Orders two versions of one ecosystem exactly as that ecosystem's own tool does (dpkg, apk, rpmvercmp, npm, PEP 440, ...).
/// Each ecosystem folder holds one; the match engine looks them up by <see cref="Name"/>.
/// </summary>
public interface IVersionScheme
{
    /// <summary>A stable name, e.g. <c>dpkg</c>, <c>semver</c>, <c>pep440</c>.</summary>
    string Name { get; }

    /// <summary>Negative when <paramref name="left"/> sorts before <paramref name="right"/>, zero when equal, positive after.</summary>
    int Compare(string left, string right);

    /// <summary>True when the string is a version this scheme can order.</summary>
    bool IsValid(string version);
}
