namespace SupplyChainMesh.Analysis.Distributions;

/// <summary>
/// The operating system of an image as <c>etc/os-release</c> (or its older friends) describe it.
/// <see cref="Id"/> and <see cref="VersionId"/> are os-release's <c>ID</c> and <c>VERSION_ID</c>.
/// </summary>
public sealed record Distribution(string Id, string? VersionId, string? VersionCodename = null, string? PrettyName = null)
{
    /// <summary>purl's <c>distro</c> qualifier, e.g. <c>debian-12</c>, <c>alpine-3.18</c> (major.minor for Alpine).</summary>
    public string PurlQualifier => VersionId is null ? Id : $"{Id}-{(Id == "alpine" ? MajorMinor(VersionId) : VersionId)}";

    private static string MajorMinor(string version)
    {
        var first = version.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : version.IndexOf('.', first + 1);
        return second < 0 ? version : version[..second];
    }
}
