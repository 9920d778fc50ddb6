namespace SupplyChainMesh.Analysis.Distributions;

/// <summary>
/// How much a release file is trusted to name the distribution: os-release first (it is the standard, and Ubuntu also
/// ships a misleading <c>etc/debian_version</c>), then lsb-release, then the distribution's own release file, then
/// <c>etc/redhat-release</c> (Oracle and CentOS ship one naming Red Hat), then <c>etc/debian_version</c>. Lower is stronger.
/// </summary>
public static class DistributionRank
{
    public static int Of(string path) => path switch
    {
        "etc/os-release" => 0,
        "usr/lib/os-release" => 1,
        "etc/lsb-release" => 2,
        "etc/alpine-release" or "etc/centos-release" or "etc/oracle-release" or "etc/fedora-release"
            or "etc/almalinux-release" or "etc/rocky-release" => 3,
        "etc/redhat-release" => 4,
        "etc/debian_version" => 5,
        _ => 6,
    };
}
