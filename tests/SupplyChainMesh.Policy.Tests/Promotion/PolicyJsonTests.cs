using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.Policy.Serialization;

namespace SupplyChainMesh.Policy.Tests.Promotion;

public class PolicyJsonTests
{
    private const string Policy = """
        {
          "id": "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
          "name": "dev to prod when clean",
          "sourceRepository": "dev/*",
          "enabled": true,
          "order": 10,
          "criteria": [
            { "kind": "tag", "operator": "regex", "value": "^\\d+\\.\\d+\\.\\d+$" },
            { "kind": "vulnerabilityCount", "severity": "critical", "operator": "=", "count": 0 },
            { "kind": "vulnerabilityCount", "severity": "high", "operator": "<=", "count": 2, "onlyFixable": true },
            { "kind": "maxCvss", "score": 8.9 },
            { "kind": "kev" },
            { "kind": "epss", "threshold": 0.1 },
            { "kind": "fixAge", "maxDays": 30 },
            { "kind": "component", "presence": "absent", "purl": "pkg:npm/lodash", "versionRange": "<4.17.21" },
            { "kind": "license", "operator": "notOneOf", "licenses": ["AGPL-3.0-only"] },
            { "kind": "feedFreshness", "maxAgeHours": 24 },
            { "kind": "pushedWithin", "days": 14 }
          ],
          "action": { "targetRepository": "prod/payments", "tagTemplate": "%n-%Y%m%d", "mode": "copy" }
        }
        """;

    [Fact]
    public void A_policy_with_every_criterion_kind_reads_and_round_trips()
    {
        var policy = PolicyJson.DeserializePolicy(Policy);
        Assert.Equal(11, policy.Criteria.Count);
        Assert.Equal(Criterion.Kinds.Count, policy.Criteria.Select(c => c.Kind).Distinct().Count());
        var high = Assert.IsType<VulnerabilityCountCriterion>(policy.Criteria[2]);
        Assert.Equal((SeverityBucket.High, ComparisonOperator.LessOrEqual, 2, true), (high.Severity, high.Operator, high.Count, high.OnlyFixable));
        Assert.Equal(PromotionMode.Copy, policy.Action!.Mode);
        Assert.True(PolicyValidator.Validate(policy).IsValid, PolicyValidator.Validate(policy).ToString());

        var json = PolicyJson.Serialize(policy);
        Assert.Contains("\"kind\":\"vulnerabilityCount\"", json, StringComparison.Ordinal);
        Assert.Contains("\"operator\":\"<=\"", json, StringComparison.Ordinal);
        Assert.Contains("\"severity\":\"critical\"", json, StringComparison.Ordinal);
        Assert.Contains("\"sourceRepository\":\"dev/*\"", json, StringComparison.Ordinal);
        var again = PolicyJson.DeserializePolicy(json);
        Assert.Equal(PolicyJson.Serialize(again), json);
        Assert.Equal(policy.Criteria, again.Criteria);
    }

    [Theory]
    [InlineData("""{"criteria":[{"kind":"vulnerabilityCount","severity":"extreme"}]}""", "criteria[0].severity", "'extreme' is not a valid severity bucket")]
    [InlineData("""{"criteria":[{"kind":"vulnerabilityCount","operator":"=>"}]}""", "criteria[0].operator", "use one of >=, >, =, !=, <=, <")]
    [InlineData("""{"criteria":[{"kind":"vulnerabilityCount","severity":4}]}""", "criteria[0].severity", "is a string")]
    [InlineData("""{"criteria":[{"kind":"colour","value":"red"}]}""", "criteria[0]", "Unknown criterion kind")]
    [InlineData("""{"action":{"targetRepository":"prod/x","mode":"teleport"}}""", "action.mode", "'teleport' is not a valid promotion mode")]
    [InlineData("""{"order":"first"}""", "order", "wrong type")]
    [InlineData("""{"sourceRepository":"dev/*","colour":"red"}""", "colour", "Unknown property")]
    public void Malformed_json_names_the_field_and_the_problem(string json, string field, string message)
    {
        var ex = Assert.Throws<PolicyJsonException>(() => PolicyJson.DeserializePolicy(json));
        Assert.StartsWith(field, ex.Field, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_criterion_without_kind_says_kind_is_needed()
    {
        var ex = Assert.Throws<PolicyJsonException>(() => PolicyJson.DeserializePolicy("""{"criteria":[{"severity":"high"}]}"""));
        Assert.Contains("'kind'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("{\"name\": \"x\",}}")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    public void Broken_documents_are_typed_errors(string json)
    {
        var ex = Assert.Throws<PolicyJsonException>(() => PolicyJson.DeserializePolicy(json));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void TryReadPolicy_merges_json_and_validation_problems_into_field_errors()
    {
        Assert.Null(PolicyJson.TryReadPolicy("""{"criteria":[{"kind":"maxCvss","score":"high"}]}""", out var jsonErrors));
        Assert.Equal(["criteria[0].score"], jsonErrors.Fields);

        Assert.Null(PolicyJson.TryReadPolicy("""{"sourceRepository":"dev/app","action":{"targetRepository":"dev/app"}}""", out var validationErrors));
        Assert.Equal(["action.targetRepository"], validationErrors.Fields);
        var problem = validationErrors.ToDictionary();
        Assert.Contains("promotion would loop", Assert.Single(problem["action.targetRepository"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Severity_enum_reads_every_name_and_writes_lowercase()
    {
        foreach (var severity in Enum.GetValues<Severity>())
        {
            var json = PolicyJson.Serialize(severity);
            Assert.Equal($"\"{severity.ToString().ToLowerInvariant()}\"", json);
            Assert.Equal(severity, PolicyJson.Deserialize<Severity>(json, "severity"));
        }
    }
}
