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

    /// <summary>The target is rendered with the real source (or sample repositories of a source pattern), so a
    /// template cannot smuggle the source back in: each of these would make the Promoter promote the promoted image again.</summary>
    [Theory]
    [InlineData("dev/payments", "dev/{name}", "renders to 'dev/payments' for 'dev/payments', which is the source repository")]
    [InlineData("dev/payments", "{repository}", "is the source repository")]
    [InlineData("dev/*", "{repository}", "is the source repository")]
    [InlineData("dev/*", "dev/{name}", "is the source repository")]
    [InlineData("dev/*", "{repository}-prod", "matches the source pattern 'dev/*'")]
    [InlineData("dev/*", "dev/{name}-rc", "matches the source pattern 'dev/*'")]
    [InlineData("dev/**", "{repository}/released", "matches the source pattern 'dev/**'")]
    [InlineData("dev/pay*", "dev/{name}s", "matches the source pattern 'dev/pay*'")]
    [InlineData("*/payments", "prod/{name}", "matches the source pattern '*/payments'")]
    [InlineData("registry.example.com/dev/*", "dev/{name}-rc", "matches the source pattern 'registry.example.com/dev/*'")]
    [InlineData("dev/???", "dev/{name}", "is the source repository")]
    public void A_target_template_that_renders_into_the_source_is_refused(string source, string target, string message)
    {
        var policy = Valid with { SourceRepository = source, Action = new PromotionAction { TargetRepository = target, TagTemplate = "%n" } };
        var errors = PolicyValidator.Validate(policy);
        Assert.Equal(["action.targetRepository"], errors.Fields);
        Assert.Contains(message, Assert.Single(errors.For("action.targetRepository")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dev/payments", "prod/{name}")]
    [InlineData("dev/payments", "mirror/{repository}")]
    [InlineData("dev/*", "{repository}/released")]
    [InlineData("dev/*", "qa/{name}")]
    [InlineData("dev/???", "dev/{name}-rc")]
    [InlineData("registry.example.com/dev/*", "qa/{name}")]
    public void A_target_template_that_leaves_the_source_is_accepted(string source, string target)
    {
        var policy = Valid with { SourceRepository = source, Action = new PromotionAction { TargetRepository = target, TagTemplate = "%n" } };
        Assert.True(PolicyValidator.Validate(policy).IsValid);
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
