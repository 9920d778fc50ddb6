using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.Policy.Templates;
using static SupplyChainMesh.Policy.Tests.TestImages;

namespace SupplyChainMesh.Policy.Tests.Templates;

/// <summary>The target repository may name the source ({name}, {repository}): one policy on dev/* promotes each repository to its own qa/ twin.</summary>
public class RepositoryTemplateTests
{
    [Theory]
    [InlineData("qa/{name}", "dev/shop", "qa/shop")]
    [InlineData("qa/{name}", "dev/team/shop", "qa/shop")]
    [InlineData("mirror/{repository}", "dev/team/shop", "mirror/dev/team/shop")]
    [InlineData("prod/payments", "dev/payments", "prod/payments")]
    [InlineData("qa/{name}-{name}", "dev/x", "qa/x-x")]
    public void Placeholders_render_from_the_source_repository(string target, string source, string expected) =>
        Assert.Equal(expected, RepositoryTemplate.Render(target, source));

    [Theory]
    [InlineData("qa/{team}", "action.targetRepository", "unknown placeholder")]
    [InlineData("qa/{name", "action.targetRepository", "unknown placeholder")]
    [InlineData("dev/{name}-copy", "action.targetRepository", "matches the source pattern")]
    [InlineData("QA/{name}", "action.targetRepository", "contains 'Q'")]
    public void A_bad_target_template_is_reported_against_the_target(string target, string field, string message)
    {
        var policy = new PromotionPolicy { Name = "p", SourceRepository = "dev/*", Action = new PromotionAction { TargetRepository = target } };
        var errors = PolicyValidator.Validate(policy);
        Assert.Equal([field], errors.Fields);
        Assert.Contains(message, Assert.Single(errors.For(field)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_satisfied_policy_on_a_namespace_promotes_to_the_rendered_repository()
    {
        var policy = new PromotionPolicy
        {
            Id = Guid.NewGuid(),
            Name = "dev to qa",
            SourceRepository = "dev/*",
            Action = new PromotionAction { TargetRepository = "qa/{name}", TagTemplate = "%n" },
        };
        Assert.True(PolicyValidator.Validate(policy).IsValid);
        var result = PolicyEvaluator.Default.Evaluate(Payments(), [policy], now: Now);
        var target = Assert.Single(result.Verdicts).Promotion!;
        Assert.Equal("qa/payments", target.Repository);
    }

    [Fact]
    public void A_verdict_fingerprint_changes_with_its_own_policy_and_findings_only()
    {
        var noCritical = new PromotionPolicy
        {
            Id = Guid.NewGuid(),
            Name = "no critical",
            SourceRepository = "dev/*",
            Criteria = [new VulnerabilityCountCriterion { Severity = SeverityBucket.Critical, Count = 0 }],
            Action = new PromotionAction { TargetRepository = "qa/{name}" },
        };
        var noKev = new PromotionPolicy
        {
            Id = Guid.NewGuid(),
            Name = "no kev",
            SourceRepository = "dev/*",
            Criteria = [new KevCriterion()],
            Action = new PromotionAction { TargetRepository = "qa/{name}" },
        };
        string Print(PromotionPolicy policy, Assessments.ImageAssessment image, params PromotionPolicy[] all)
        {
            var result = PolicyEvaluator.Default.Evaluate(image, all, now: Now);
            return PolicyEvaluator.FingerprintOf(result, policy, result.Verdicts.Single(v => v.PolicyId == policy.Id));
        }

        var image = Payments();
        var alone = Print(noCritical, image, noCritical);
        // Another policy beside it, or a later evaluation, does not change this policy's verdict fingerprint.
        Assert.Equal(alone, Print(noCritical, image, noCritical, noKev));
        Assert.Equal(alone, Print(noCritical, image with { }, noCritical));
        // A different set of offending findings does.
        Assert.NotEqual(alone, Print(noCritical, image with { Findings = [.. image.Findings.Where(f => f.Severity != Assessments.Severity.Critical)] }, noCritical));
        // So does a change of the policy.
        var edited = noCritical with { Criteria = [new VulnerabilityCountCriterion { Severity = SeverityBucket.Critical, Count = 1 }] };
        Assert.NotEqual(alone, Print(edited, image, edited));
    }
}
