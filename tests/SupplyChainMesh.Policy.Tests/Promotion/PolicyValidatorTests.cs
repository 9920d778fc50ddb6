using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Promotion;

namespace SupplyChainMesh.Policy.Tests.Promotion;

public class PolicyValidatorTests
{
    private static readonly PromotionPolicy Valid = new()
    {
        Id = Guid.NewGuid(),
        Name = "dev to prod",
        SourceRepository = "dev/payments",
        Criteria = [new VulnerabilityCountCriterion { Severity = SeverityBucket.Critical, Count = 0 }],
        Action = new PromotionAction { TargetRepository = "prod/payments", TagTemplate = "%n" },
    };

    [Fact]
    public void A_valid_policy_has_no_errors()
    {
        Assert.True(PolicyValidator.Validate(Valid).IsValid);
    }

    [Theory]
    [InlineData("", "prod/x", "%n", "sourceRepository", "required")]
    [InlineData("Dev/App", "prod/x", "%n", "sourceRepository", "contains 'D'")]
    [InlineData("dev/payments", "", "%n", "action.targetRepository", "required")]
    [InlineData("dev/payments", "dev/payments", "%n", "action.targetRepository", "is the source repository")]
    [InlineData("dev/*", "dev/released", "%n", "action.targetRepository", "matches the source pattern")]
    [InlineData("dev/payments", "prod/*", "%n", "action.targetRepository", "not a pattern")]
    [InlineData("dev/payments", "prod/x", "%n-%q", "action.tagTemplate", "Unknown template field '%q'")]
    [InlineData("dev/payments", "prod/x", "", "action.tagTemplate", "required")]
    public void Each_problem_is_reported_under_its_field(string source, string target, string template, string field, string message)
    {
        var policy = Valid with { SourceRepository = source, Action = new PromotionAction { TargetRepository = target, TagTemplate = template } };
        var errors = PolicyValidator.Validate(policy);
        Assert.Equal([field], errors.Fields);
        Assert.Contains(message, Assert.Single(errors.For(field)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_action_is_reported()
    {
        Assert.Equal(["action"], PolicyValidator.Validate(Valid with { Action = null }).Fields);
    }

    [Fact]
    public void Criterion_errors_carry_their_index()
    {
        var policy = Valid with
        {
            Criteria =
            [
                new TagCriterion { Operator = TagOperator.StartsWith, Value = "v" },
                new TagCriterion { Operator = TagOperator.Regex, Value = "(unclosed" },
                new VulnerabilityCountCriterion { Severity = (SeverityBucket)9 },
            ],
        };
        var errors = PolicyValidator.Validate(policy);
        Assert.Equal(["criteria[1].value", "criteria[2].severity"], errors.Fields.Order());
        var problem = errors.ToDictionary();
        Assert.IsType<string[]>(problem["criteria[1].value"]);
    }
}
