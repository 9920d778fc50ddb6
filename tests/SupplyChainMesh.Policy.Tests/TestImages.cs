using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Criteria;

namespace SupplyChainMesh.Policy.Tests;

/// <summary>
/// Assessments shaped like real scan results: package purls as the detectors write them and advisories that really
/// affect those versions (Debian 12 bookworm openssl 3.0.11, zlib 1.2.13, glibc 2.36; npm lodash 4.17.20).
/// </summary>
internal static class TestImages
{
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 20, 5, 9, TimeSpan.Zero);
    public const string Digest = "sha256:4a1c4b21597c1b4415bdbecb28a3296c6b5e23ca4f9feeb599860a1dac6a0108";

    public static readonly AssessedPackage OpenSsl = new()
    {
        Purl = "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
        Name = "openssl",
        Version = "3.0.11-1~deb12u2",
        Type = "deb",
        Licenses = ["Apache-2.0"],
    };

    public static readonly AssessedPackage Zlib = new()
    {
        Purl = "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12",
        Name = "zlib1g",
        Version = "1:1.2.13.dfsg-1",
        Type = "deb",
        Licenses = ["Zlib"],
    };

    public static readonly AssessedPackage Glibc = new()
    {
        Purl = "pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64&distro=debian-12",
        Name = "libc6",
        Version = "2.36-9+deb12u3",
        Type = "deb",
        Licenses = ["LGPL-2.1-or-later AND GPL-2.0-or-later"],
    };

    public static readonly AssessedPackage Lodash = new()
    {
        Purl = "pkg:npm/lodash@4.17.20",
        Name = "lodash",
        Version = "4.17.20",
        Type = "npm",
        Licenses = ["MIT"],
    };

    public static readonly AssessedPackage Jackson = new()
    {
        Purl = "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar",
        Name = "jackson-databind",
        Version = "2.10.0",
        Type = "maven",
        Licenses = ["Apache-2.0"],
    };

    public static readonly AssessedPackage DualLicensed = new()
    {
        Purl = "pkg:npm/node-forge@1.3.0",
        Name = "node-forge",
        Version = "1.3.0",
        Type = "npm",
        Licenses = ["(BSD-3-Clause OR GPL-2.0)"],
    };

    // CVE-2023-4911 (Looney Tunables, glibc): high, CVSS 7.8, in KEV, fixed in 2.36-9+deb12u3 on 2023-10-03.
    public static readonly Finding LooneyTunables = new()
    {
        VulnerabilityId = "CVE-2023-4911",
        Aliases = ["DSA-5514-1"],
        PackagePurl = Glibc.Purl,
        Severity = Severity.High,
        CvssScore = 7.8,
        Kev = true,
        Epss = 0.8012,
        FixAvailable = true,
        FixedVersion = "2.36-9+deb12u3",
        FixPublishedAt = new DateTimeOffset(2023, 10, 3, 0, 0, 0, TimeSpan.Zero),
    };

    // CVE-2024-6119 (openssl): high, CVSS 7.5, fixed 3.0.14-1~deb12u2 on 2024-09-03.
    public static readonly Finding OpenSslNameCheck = new()
    {
        VulnerabilityId = "CVE-2024-6119",
        PackagePurl = OpenSsl.Purl,
        Severity = Severity.High,
        CvssScore = 7.5,
        Epss = 0.0021,
        FixAvailable = true,
        FixedVersion = "3.0.14-1~deb12u2",
        FixPublishedAt = new DateTimeOffset(2024, 9, 3, 0, 0, 0, TimeSpan.Zero),
    };

    // CVE-2023-45853 (zlib minizip): critical, CVSS 9.8, no fix in bookworm (minizip not built).
    public static readonly Finding Minizip = new()
    {
        VulnerabilityId = "CVE-2023-45853",
        Aliases = ["GHSA-mq29-j5xf-cjwr"],
        PackagePurl = Zlib.Purl,
        Severity = Severity.Critical,
        CvssScore = 9.8,
        Epss = 0.0133,
        FixAvailable = false,
    };

    // GHSA-35jh-r3h4-6jhm (lodash command injection, CVE-2021-23337): high, CVSS 7.2, fixed in 4.17.21.
    public static readonly Finding LodashTemplate = new()
    {
        VulnerabilityId = "GHSA-35jh-r3h4-6jhm",
        Aliases = ["CVE-2021-23337"],
        PackagePurl = Lodash.Purl,
        Severity = Severity.High,
        CvssScore = 7.2,
        Epss = 0.0297,
        FixAvailable = true,
        FixedVersion = "4.17.21",
        FixPublishedAt = new DateTimeOffset(2021, 2, 15, 0, 0, 0, TimeSpan.Zero),
    };

    // CVE-2023-5678 (openssl DH check): medium, CVSS 5.3, fix published recently relative to Now.
    public static readonly Finding OpenSslDh = new()
    {
        VulnerabilityId = "CVE-2023-5678",
        PackagePurl = OpenSsl.Purl,
        Severity = Severity.Medium,
        CvssScore = 5.3,
        Epss = 0.0009,
        FixAvailable = true,
        FixedVersion = "3.0.13-1~deb12u1",
        FixPublishedAt = Now.AddDays(-3),
    };

    // CVE-2011-3374 (apt): negligible in Debian, no score.
    public static readonly Finding AptNegligible = new()
    {
        VulnerabilityId = "CVE-2011-3374",
        PackagePurl = "pkg:deb/debian/apt@2.6.1?arch=amd64&distro=debian-12",
        Severity = Severity.Negligible,
    };

    public static readonly Finding LowFinding = new()
    {
        VulnerabilityId = "CVE-2024-2511",
        PackagePurl = OpenSsl.Purl,
        Severity = Severity.Low,
        CvssScore = 3.7,
        FixAvailable = true,
        FixPublishedAt = Now.AddDays(-200),
    };

    public static ImageAssessment Payments(string repository = "dev/payments", string? tag = "1.4.2", params Finding[] findings) => new()
    {
        Registry = "registry.example.com",
        Repository = repository,
        Tag = tag,
        ManifestDigest = Digest,
        PushedAt = Now.AddDays(-2),
        Feeds = [new FeedState("debian-bookworm", Now.AddHours(-5)), new FeedState("osv-npm", Now.AddHours(-30)), new FeedState("cisa-kev", Now.AddHours(-1))],
        Packages = [OpenSsl, Zlib, Glibc, Lodash, Jackson, DualLicensed],
        Findings = findings.Length > 0 ? findings : [LooneyTunables, OpenSslNameCheck, Minizip, LodashTemplate, OpenSslDh, AptNegligible, LowFinding],
    };

    public static EvaluationContext Context(ImageAssessment image, IVersionComparer? versions = null) =>
        new(image, image.Findings, Now, versions ?? GenericVersionComparer.Instance);

    public static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);
}
