using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Validation;
using static SupplyChainMesh.Policy.Tests.TestImages;

namespace SupplyChainMesh.Policy.Tests.Criteria;

public class FreshnessCriteriaTests
{
    // Feeds: debian 5 h, osv-npm 30 h, kev 1 h old. Pushed 2 days ago.
    [Theory]
    [InlineData(24, false)]
    [InlineData(30, true)]
    [InlineData(48, true)]
    public void Feeds_no_older_than(double hours, bool expected)
    {
        var result = new FeedFreshnessCriterion { MaxAgeHours = hours }.Evaluate(Context(Payments()));
        Assert.Equal(expected, result.Passed);
        if (!expected) Assert.Contains("osv-npm (30 h old)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_feed_ages_fail()
    {
        var result = new FeedFreshnessCriterion { MaxAgeHours = 24 }.Evaluate(Context(Payments() with { Feeds = [] }));
        Assert.False(result.Passed);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(2.01, true)]
    [InlineData(7, true)]
    public void Pushed_less_than_days_ago(double days, bool expected)
    {
        Assert.Equal(expected, new PushedWithinCriterion { Days = days }.Evaluate(Context(Payments())).Passed);
    }

    [Fact]
    public void Unknown_push_time_fails()
    {
        var result = new PushedWithinCriterion { Days = 7 }.Evaluate(Context(Payments() with { PushedAt = null }));
        Assert.False(result.Passed);
        Assert.Contains("unknown", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_bounds_are_validation_errors()
    {
        var errors = new ValidationErrors();
        new FeedFreshnessCriterion { MaxAgeHours = 0 }.Validate("criteria[0]", errors);
        new PushedWithinCriterion { Days = -1 }.Validate("criteria[1]", errors);
        Assert.Equal(["criteria[0].maxAgeHours", "criteria[1].days"], errors.Fields.Order());
    }

    [Fact]
    public void Feed_state_is_a_plain_record()
    {
        Assert.Equal(new FeedState("x", Now), new FeedState("x", Now));
    }
}
