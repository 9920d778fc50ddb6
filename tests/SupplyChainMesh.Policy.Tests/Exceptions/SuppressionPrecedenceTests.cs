using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Exceptions;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.Policy.Vex;
using static SupplyChainMesh.Policy.Tests.TestImages;

namespace SupplyChainMesh.Policy.Tests.Exceptions;

/// <summary>Exceptions and VEX suppress findings before criteria run; these tests pin the precedence documented on FindingSuppressor.</summary>
public class SuppressionPrecedenceTests
{
    private static readonly PromotionPolicy NoCriticalNoKev = new()
    {
        Id = Guid.NewGuid(),
        Name = "clean",
        SourceRepository = "dev/*",
        Criteria = [new VulnerabilityCountCriterion { Severity = SeverityBucket.Critical, Count = 0 }, new KevCriterion()],
        Action = new PromotionAction { TargetRepository = "prod/payments" },
    };

    private static VulnerabilityException Exception(string id, ExceptionScope scope = ExceptionScope.Global, string? target = null,
        string? purl = null, DateTimeOffset? expires = null) => new()
        {
            Id = Guid.NewGuid(),
            Scope = scope,
            Target = target,
            VulnerabilityId = id,
            PackagePurl = purl,
            Reason = "accepted risk",
            CreatedBy = "alice",
            ExpiresAt = expires,
        };

    private static (IReadOnlyList<Finding> Active, IReadOnlyList<SuppressedFinding> Suppressed) Apply(
        IReadOnlyList<VulnerabilityException>? exceptions = null, IReadOnlyList<VexStatement>? vex = null) =>
        FindingSuppressor.Apply(Payments(), exceptions ?? [], vex ?? [], Now);

    [Theory]
    [InlineData(ExceptionScope.Global, null, true)]
    [InlineData(ExceptionScope.Repository, "dev/payments", true)]
    [InlineData(ExceptionScope.Repository, "dev/*", true)]
    [InlineData(ExceptionScope.Repository, "prod/*", false)]
    [InlineData(ExceptionScope.Image, Digest, true)]
    [InlineData(ExceptionScope.Image, "sha256:0000000000000000000000000000000000000000000000000000000000000000", false)]
    public void An_exception_applies_within_its_scope(ExceptionScope scope, string? target, bool suppressed)
    {
        var (active, gone) = Apply([Exception("CVE-2023-45853", scope, target)]);
        Assert.Equal(suppressed, !active.Contains(Minizip));
        Assert.Equal(suppressed ? 1 : 0, gone.Count);
    }

    [Fact]
    public void An_exception_matches_aliases_both_ways()
    {
        // The finding is GHSA-35jh-r3h4-6jhm with alias CVE-2021-23337; the exception names the CVE.
        var (active, suppressed) = Apply([Exception("cve-2021-23337")]);
        Assert.DoesNotContain(LodashTemplate, active);
        Assert.Equal("accepted risk", Assert.Single(Assert.Single(suppressed).By).Reason);
    }

    [Theory]
    [InlineData("pkg:deb/debian/zlib1g", true)]
    [InlineData("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1", true)]
    [InlineData("pkg:deb/debian/zlib1g@1:1.3.0-1", false)]
    [InlineData("pkg:deb/debian/openssl", false)]
    public void An_exception_with_a_package_applies_only_to_that_package(string purl, bool suppressed)
    {
        var (active, _) = Apply([Exception("CVE-2023-45853", purl: purl)]);
        Assert.Equal(suppressed, !active.Contains(Minizip));
    }

    [Fact]
    public void An_expired_exception_does_not_suppress()
    {
        var (active, suppressed) = Apply([Exception("CVE-2023-45853", expires: Now.AddSeconds(-1))]);
        Assert.Contains(Minizip, active);
        Assert.Empty(suppressed);
        var (stillActive, _) = Apply([Exception("CVE-2023-45853", expires: Now.AddSeconds(1))]);
        Assert.DoesNotContain(Minizip, stillActive);
    }

    [Fact]
    public void Vex_not_affected_and_fixed_suppress_with_the_justification_shown()
    {
        var statements = VexDocuments.Parse(File.ReadAllText(TestData("Vex", "payments.openvex.json")));
        var (active, suppressed) = Apply(vex: statements);
        Assert.DoesNotContain(Minizip, active);
        Assert.DoesNotContain(OpenSslNameCheck, active);
        var minizip = suppressed.Single(s => s.Finding == Minizip).By.Single();
        Assert.Equal(SuppressionKind.Vex, minizip.Kind);
        Assert.Contains("vulnerable_code_not_in_execute_path", minizip.Reason, StringComparison.Ordinal);
        Assert.Contains("minizip is not built", minizip.Reason, StringComparison.Ordinal);
        Assert.Equal("https://vex.example.com/payments/vex-2026-11-20", minizip.Reference);
        // under_investigation (CVE-2024-2511) leaves the low finding in place.
        Assert.Contains(LowFinding, active);
    }

    [Fact]
    public void Vex_affected_does_not_unsuppress_an_exception()
    {
        var affected = new VexStatement { VulnerabilityId = "CVE-2023-45853", Products = [new VexProduct(Digest)], Status = VexStatus.Affected, Timestamp = Now };
        var (active, suppressed) = Apply([Exception("CVE-2023-45853")], [affected]);
        Assert.DoesNotContain(Minizip, active);
        Assert.Equal(SuppressionKind.Exception, Assert.Single(Assert.Single(suppressed).By).Kind);
    }

    [Fact]
    public void A_later_vex_affected_supersedes_an_earlier_not_affected()
    {
        var notAffected = new VexStatement
        {
            VulnerabilityId = "CVE-2023-45853",
            Products = [new VexProduct(Digest)],
            Status = VexStatus.NotAffected,
            Justification = "component_not_present",
            Timestamp = Now.AddDays(-10),
        };
        var affected = notAffected with { Status = VexStatus.Affected, Justification = null, Timestamp = Now.AddDays(-1) };
        Assert.Contains(Minizip, Apply(vex: [affected, notAffected]).Active);
        Assert.DoesNotContain(Minizip, Apply(vex: [notAffected with { Timestamp = Now }, affected]).Active);
    }

    [Fact]
    public void Exception_and_vex_on_the_same_finding_list_both_reasons()
    {
        var vex = new VexStatement { VulnerabilityId = "CVE-2023-45853", Products = [new VexProduct("pkg:deb/debian/zlib1g")], Status = VexStatus.NotAffected, Justification = "vulnerable_code_not_present" };
        var (_, suppressed) = Apply([Exception("CVE-2023-45853")], [vex]);
        Assert.Equal([SuppressionKind.Exception, SuppressionKind.Vex], Assert.Single(suppressed).By.Select(b => b.Kind));
    }

    [Fact]
    public void Vex_about_another_image_or_package_does_not_suppress()
    {
        var otherImage = new VexStatement { VulnerabilityId = "CVE-2023-45853", Products = [new VexProduct("sha256:" + new string('c', 64))], Status = VexStatus.NotAffected, Justification = "component_not_present" };
        var otherPackage = otherImage with { Products = [new VexProduct("pkg:deb/debian/zlib1g-dev")] };
        var otherSubcomponent = otherImage with { Products = [new VexProduct(Digest, ["pkg:deb/debian/libxml2"])] };
        Assert.Contains(Minizip, Apply(vex: [otherImage, otherPackage, otherSubcomponent]).Active);
    }

    [Fact]
    public void Suppression_turns_a_violated_policy_into_a_satisfied_one_and_shows_why()
    {
        var violated = PolicyEvaluator.Default.Evaluate(Payments(), [NoCriticalNoKev], now: Now);
        Assert.Equal(PolicyOutcome.Violated, Assert.Single(violated.Verdicts).Outcome);

        var vex = VexDocuments.Parse(File.ReadAllText(TestData("Vex", "payments.openvex.json")));
        var kevException = Exception("CVE-2023-4911", ExceptionScope.Repository, "dev/payments", expires: Now.AddDays(7));
        var satisfied = PolicyEvaluator.Default.Evaluate(Payments(), [NoCriticalNoKev], [kevException], vex, Now);
        Assert.Equal(PolicyOutcome.Satisfied, Assert.Single(satisfied.Verdicts).Outcome);
        Assert.Equal(["CVE-2023-45853", "CVE-2023-4911", "CVE-2024-6119"], satisfied.Suppressed.Select(s => s.Finding.VulnerabilityId).Order());

        // A week later the exception has expired: the KEV finding counts again.
        var expired = PolicyEvaluator.Default.Evaluate(Payments(), [NoCriticalNoKev], [kevException], vex, Now.AddDays(8));
        var verdict = Assert.Single(expired.Verdicts);
        Assert.Equal(PolicyOutcome.Violated, verdict.Outcome);
        Assert.Equal("kev", Assert.Single(verdict.Failures).Kind);
    }

    [Fact]
    public void Exception_validation_names_fields()
    {
        var errors = ExceptionValidator.Validate(new VulnerabilityException
        {
            Scope = ExceptionScope.Image,
            Target = "latest",
            VulnerabilityId = "",
            Reason = "",
            CreatedBy = "",
            PackagePurl = "openssl",
            ExpiresAt = Now.AddDays(-1),
        }, Now);
        Assert.Equal(["createdBy", "expiresAt", "packagePurl", "reason", "target", "vulnerabilityId"], errors.Fields.Order());
    }
}
