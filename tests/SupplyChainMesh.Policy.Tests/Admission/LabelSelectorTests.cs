using SupplyChainMesh.Policy.Admission;

namespace SupplyChainMesh.Policy.Tests.Admission;

/// <summary>Every selector operator, as Kubernetes defines them: In, NotIn (also true when the key is absent),
/// Exists, DoesNotExist; everything ANDed with matchLabels.</summary>
public class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Backend = new() { ["tier"] = "backend", ["team"] = "payments" };

    [Theory]
    [InlineData("tier", "In", "backend,edge", true)]
    [InlineData("tier", "In", "frontend,edge", false)]
    [InlineData("zone", "In", "a", false)]
    [InlineData("tier", "NotIn", "frontend,edge", true)]
    [InlineData("tier", "NotIn", "backend", false)]
    [InlineData("zone", "NotIn", "a", true)]
    [InlineData("team", "Exists", "", true)]
    [InlineData("zone", "Exists", "", false)]
    [InlineData("zone", "DoesNotExist", "", true)]
    [InlineData("team", "DoesNotExist", "", false)]
    [InlineData("tier", "Equals", "backend", false)]
    public void Each_operator_matches_as_kubernetes_defines_it(string key, string op, string values, bool matches)
    {
        var selector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement(key, op, values.Length == 0 ? [] : values.Split(','))] };
        Assert.Equal(matches, selector.Matches(Backend));
    }

    [Fact]
    public void Requirements_and_match_labels_are_all_anded()
    {
        var selector = new LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["team"] = "payments" },
            MatchExpressions = [new LabelSelectorRequirement("tier", "NotIn", ["frontend"]), new LabelSelectorRequirement("canary", "DoesNotExist", [])],
        };
        Assert.True(selector.Matches(Backend));
        Assert.False(selector.Matches(new Dictionary<string, string>(Backend) { ["canary"] = "true" }));
        Assert.False(selector.Matches(new Dictionary<string, string>(Backend) { ["team"] = "search" }));
    }

    [Fact]
    public void Values_missing_from_a_stored_rule_match_nothing_instead_of_throwing()
    {
        Assert.False(new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("tier", "In", null!)] }.Matches(Backend));
        Assert.True(new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("tier", "NotIn", null!)] }.Matches(Backend));
    }
}
