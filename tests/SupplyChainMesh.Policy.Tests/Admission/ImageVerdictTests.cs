using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Exceptions;
using SupplyChainMesh.Policy.Promotion;
using static SupplyChainMesh.Policy.Tests.TestImages;

namespace SupplyChainMesh.Policy.Tests.Admission;

public class ImageVerdictTests
{
    [Fact]
    public void A_verdict_built_from_an_evaluation_counts_only_unsuppressed_findings()
    {
        var image = Payments();
        var policies = new[]
        {
            new PromotionPolicy { Id = Guid.NewGuid(), Name = "no-kev", SourceRepository = "dev/*", Criteria = [new KevCriterion()], Action = new PromotionAction { TargetRepository = "prod/p" } },
            new PromotionPolicy { Id = Guid.NewGuid(), Name = "tagged", SourceRepository = "dev/*", Criteria = [new TagCriterion { Operator = TagOperator.StartsWith, Value = "1." }], Action = new PromotionAction { TargetRepository = "prod/p" } },
        };
        var minizipWaived = new VulnerabilityException { Id = Guid.NewGuid(), VulnerabilityId = "CVE-2023-45853", Reason = "minizip unused", CreatedBy = "sec" };
        var result = PolicyEvaluator.Default.Evaluate(image, policies, [minizipWaived], now: Now);

        var verdict = ImageVerdict.From(image, result);
        Assert.Equal(Digest, verdict.Digest);
        Assert.True(verdict.Scanned);
        Assert.Equal(["tagged"], verdict.SatisfiedPolicies);
        Assert.Equal(Severity.High, verdict.HighestSeverity);
        Assert.False(verdict.FindingCounts.ContainsKey(Severity.Critical));
        Assert.Equal(3, verdict.FindingCounts[Severity.High]);
        Assert.Equal(["CVE-2023-4911"], verdict.KevFindings);
    }
}
