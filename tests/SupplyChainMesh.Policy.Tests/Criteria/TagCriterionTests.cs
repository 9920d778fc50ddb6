using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Tests.Criteria;

public class TagCriterionTests
{
    private static bool Holds(TagCriterion criterion, string? tag) =>
        criterion.Evaluate(TestImages.Context(TestImages.Payments(tag: tag))).Passed;

    [Theory]
    [InlineData(TagOperator.EqualTo, "1.4.2", "1.4.2", true)]
    [InlineData(TagOperator.EqualTo, "1.4.2", "1.4.20", false)]
    [InlineData(TagOperator.EqualTo, "Release", "release", false)]
    [InlineData(TagOperator.StartsWith, "release-", "release-2026.11", true)]
    [InlineData(TagOperator.StartsWith, "release-", "pre-release-1", false)]
    [InlineData(TagOperator.EndsWith, "-stable", "2.1-stable", true)]
    [InlineData(TagOperator.EndsWith, "-stable", "2.1-stable-rc", false)]
    [InlineData(TagOperator.Contains, "rc", "2.1-rc3", true)]
    [InlineData(TagOperator.Contains, "rc", "2.1.0", false)]
    [InlineData(TagOperator.Glob, "v*.*.?", "v1.22.3", true)]
    [InlineData(TagOperator.Glob, "v*.*.?", "v1.22.33", false)]
    [InlineData(TagOperator.Glob, "v*", "1.0", false)]
    [InlineData(TagOperator.Regex, @"^\d+\.\d+\.\d+$", "1.4.2", true)]
    [InlineData(TagOperator.Regex, @"^\d+\.\d+\.\d+$", "1.4.2-rc1", false)]
    [InlineData(TagOperator.Regex, @"rc\d", "1.4.2-rc1", true)]
    public void Single_value_operators(TagOperator op, string value, string tag, bool expected)
    {
        var criterion = new TagCriterion { Operator = op, Value = value };
        var result = criterion.Evaluate(TestImages.Context(TestImages.Payments(tag: tag)));
        Assert.Equal(expected, result.Passed);
        Assert.Contains(tag, result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TagOperator.OneOf, "latest", false)]
    [InlineData(TagOperator.OneOf, "stable", true)]
    [InlineData(TagOperator.NotOneOf, "latest", false)]
    [InlineData(TagOperator.NotOneOf, "1.0.0", true)]
    public void List_operators(TagOperator op, string tag, bool expected)
    {
        var criterion = new TagCriterion { Operator = op, Values = op == TagOperator.OneOf ? ["stable", "lts"] : ["latest", "edge", "nightly"] };
        Assert.Equal(expected, Holds(criterion, tag));
    }

    [Fact]
    public void An_untagged_image_fails_every_tag_criterion_with_the_reason()
    {
        var result = new TagCriterion { Operator = TagOperator.NotOneOf, Values = ["latest"] }.Evaluate(TestImages.Context(TestImages.Payments(tag: null)));
        Assert.False(result.Passed);
        Assert.Contains("no tag", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catastrophic_regex_times_out_into_a_failed_criterion_instead_of_hanging()
    {
        var tag = new string('a', 40) + "!";
        var result = new TagCriterion { Operator = TagOperator.Regex, Value = "^(a+)+$" }.Evaluate(TestImages.Context(TestImages.Payments(tag: tag)));
        Assert.False(result.Passed);
        Assert.Contains("abandoned", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TagOperator.Regex, "([a-z]+", null, "criteria[0].value")]
    [InlineData(TagOperator.EqualTo, null, null, "criteria[0].value")]
    [InlineData(TagOperator.OneOf, null, null, "criteria[0].values")]
    public void Validation_names_the_bad_field(TagOperator op, string? value, string[]? values, string field)
    {
        var errors = new ValidationErrors();
        new TagCriterion { Operator = op, Value = value, Values = values }.Validate("criteria[0]", errors);
        Assert.Equal([field], errors.Fields);
    }

    [Fact]
    public void A_bad_regex_is_reported_with_the_parser_message()
    {
        var errors = new ValidationErrors();
        new TagCriterion { Operator = TagOperator.Regex, Value = "release-(\\d+" }.Validate("criteria[3]", errors);
        var message = Assert.Single(errors.For("criteria[3].value"));
        Assert.Contains("not a valid regular expression", message, StringComparison.Ordinal);
    }
}
