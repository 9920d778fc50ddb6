using SupplyChainMesh.Policy.Vex;
using static SupplyChainMesh.Policy.Tests.TestImages;

namespace SupplyChainMesh.Policy.Tests.Vex;

public class VexParserTests
{
    [Fact]
    public void OpenVex_statements_read_with_products_subcomponents_and_inherited_timestamps()
    {
        var statements = VexDocuments.Parse(File.ReadAllText(TestData("Vex", "payments.openvex.json")));
        Assert.Equal(4, statements.Count);
        var first = statements[0];
        Assert.Equal("CVE-2023-45853", first.VulnerabilityId);
        Assert.Equal(["GHSA-mq29-j5xf-cjwr"], first.Aliases);
        Assert.Equal(VexStatus.NotAffected, first.Status);
        Assert.Equal("vulnerable_code_not_in_execute_path", first.Justification);
        Assert.Equal(["pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12"], Assert.Single(first.Products).Subcomponents);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 12, 44, TimeSpan.Zero), first.Timestamp);
        Assert.Equal("Payments Security <security@example.com>", first.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), statements[1].Timestamp);
        Assert.Equal([VexStatus.NotAffected, VexStatus.Fixed, VexStatus.UnderInvestigation, VexStatus.Affected], statements.Select(s => s.Status));
        Assert.Equal("Upgrade libunbound8 when the image is rebuilt.", statements[3].ActionStatement);
    }

    [Fact]
    public void OpenVex_pkg_oci_products_identify_the_image_by_digest_or_repository()
    {
        var image = Payments();
        Assert.True(VexMatcher.IdentifiesImage("pkg:oci/payments@sha256%3A" + Digest[7..] + "?repository_url=registry.example.com/prod/payments", image));
        Assert.True(VexMatcher.IdentifiesImage("pkg:oci/payments?repository_url=registry.example.com/dev/payments", image));
        Assert.False(VexMatcher.IdentifiesImage("pkg:oci/payments?repository_url=registry.example.com/prod/payments", image));
        Assert.True(VexMatcher.IdentifiesImage(Digest, image));
        Assert.True(VexMatcher.IdentifiesImage("registry.example.com/dev/payments", image));
        Assert.False(VexMatcher.IdentifiesImage("pkg:oci/payments@sha256%3A" + new string('0', 64), image));
    }

    [Fact]
    public void The_legacy_string_form_of_openvex_reads_too()
    {
        const string legacy = """
            {"@context":"https://openvex.dev/ns","@id":"https://openvex.dev/docs/public/vex-1","author":"a","timestamp":"2023-01-16T20:41:55-06:00",
             "statements":[{"vulnerability":"CVE-2022-39046","products":["pkg:oci/miniprow@sha256:74634d9736a45ca9f6e1187e783492199e020f4a5c19d0b1abc2b604f894"],
               "subcomponents":["pkg:apk/wolfi/glibc@2.36-r1"],"status":"fixed"}]}
            """;
        var statement = Assert.Single(VexDocuments.Parse(legacy));
        Assert.Equal(VexStatus.Fixed, statement.Status);
        Assert.Equal(["pkg:apk/wolfi/glibc@2.36-r1"], Assert.Single(statement.Products).Subcomponents);
        Assert.Equal(new DateTimeOffset(2023, 1, 17, 2, 41, 55, TimeSpan.Zero), statement.Timestamp);
    }

    [Fact]
    public void CycloneDx_analysis_states_map_to_statuses_and_refs_resolve_to_purls()
    {
        var statements = VexDocuments.Parse(File.ReadAllText(TestData("Vex", "payments.cdx-vex.json")));
        Assert.Equal(["CVE-2020-25649", "CVE-2022-42003", "CVE-2021-46877", "CVE-2023-35116"], statements.Select(s => s.VulnerabilityId));
        Assert.Equal([VexStatus.NotAffected, VexStatus.NotAffected, VexStatus.Affected, VexStatus.Fixed], statements.Select(s => s.Status));
        var jackson = statements[0];
        Assert.Equal("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar", Assert.Single(jackson.Products).Id);
        Assert.Equal(["GHSA-288c-cq4h-88gq"], jackson.Aliases);
        Assert.Equal("code_not_reachable", jackson.Justification);
        Assert.Equal("Payments never deserialises XML with jackson-databind.", jackson.ImpactStatement);
        Assert.Equal("false_positive", statements[1].Justification);
        Assert.StartsWith("pkg:oci/payments@sha256%3A", Assert.Single(statements[3].Products).Id, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero), statements[3].Timestamp);
        Assert.Equal("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", statements[3].DocumentId);
    }

    [Fact]
    public void CycloneDx_statements_suppress_the_matching_maven_finding()
    {
        var finding = new SupplyChainMesh.Policy.Assessments.Finding { VulnerabilityId = "GHSA-288c-cq4h-88gq", Aliases = ["CVE-2020-25649"], PackagePurl = Jackson.Purl, Severity = SupplyChainMesh.Policy.Assessments.Severity.High };
        var image = Payments(findings: [finding]);
        var statements = VexDocuments.Parse(File.ReadAllText(TestData("Vex", "payments.cdx-vex.json")));
        var (active, suppressed) = SupplyChainMesh.Policy.Exceptions.FindingSuppressor.Apply(image, [], statements, Now);
        Assert.Empty(active);
        Assert.Contains("code_not_reachable", Assert.Single(Assert.Single(suppressed).By).Reason, StringComparison.Ordinal);
    }

    /// <summary>The format is decided by the parsed structure: a CycloneDX document that mentions the OpenVEX
    /// namespace in a description is still CycloneDX.</summary>
    [Fact]
    public void The_format_comes_from_the_structure_not_from_a_substring()
    {
        var cdx = File.ReadAllText(TestData("Vex", "payments.cdx-vex.json"))
            .Replace("\"No analysis: a plain SBOM vulnerability, not a VEX statement.\"", "\"See https://openvex.dev/ns/v0.2.0 for the OpenVEX twin.\"", StringComparison.Ordinal);
        Assert.Contains("openvex.dev/ns", cdx, StringComparison.Ordinal);
        var read = VexDocuments.Read(cdx);
        Assert.Equal(VexFormat.CycloneDx, read.Format);
        Assert.Equal("cyclonedx", read.FormatName);
        Assert.Equal(4, read.Statements.Count);
        Assert.Equal(VexFormat.OpenVex, VexDocuments.Read(File.ReadAllText(TestData("Vex", "payments.openvex.json"))).Format);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{}", "Neither OpenVEX")]
    [InlineData("""{"@context":"https://openvex.dev/ns/v0.2.0"}""", "'statements'")]
    [InlineData("""{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-1"},"status":"exploitable"}]}""", "statements[0].status 'exploitable'")]
    [InlineData("""{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-1"},"status":"not_affected"}]}""", "without a 'justification'")]
    [InlineData("""{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"status":"fixed"}]}""", "no 'vulnerability'")]
    [InlineData("""{"@context":"https://openvex.dev/ns/v0.2.0","timestamp":"yesterday","statements":[]}""", "not an RFC 3339 timestamp")]
    [InlineData("""{"bomFormat":"CycloneDX","vulnerabilities":[{"id":"CVE-1","analysis":{"state":"maybe"},"affects":[{"ref":"x"}]}]}""", "'maybe'")]
    [InlineData("""{"bomFormat":"CycloneDX","vulnerabilities":[{"id":"CVE-1","analysis":{"state":"not_affected"}}]}""", "no 'affects'")]
    [InlineData("""{"bomFormat":"CycloneDX","vulnerabilities":{}}""", "must be an array")]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}""", "is an SBOM, not VEX")]
    [InlineData("""{"@context":"https://www.w3.org/ns/openvex-lookalike","statements":[]}""", "not an OpenVEX namespace")]
    [InlineData("""{"@context":"https://openvex.dev/ns/v0.2.0","bomFormat":"CycloneDX","statements":[]}""", "both OpenVEX")]
    [InlineData("[1]", "JSON array, not an object")]
    public void Bad_documents_raise_a_typed_error_naming_the_problem(string json, string message)
    {
        var ex = Assert.Throws<VexFormatException>(() => VexDocuments.Parse(json));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
