using System.Text.Json.Serialization;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>No finding may be in CISA's Known Exploited Vulnerabilities catalogue.</summary>
public sealed record KevCriterion : VulnerabilityCriterion
{
    public const string KindName = "kev";

    [JsonIgnore]
    public override string Kind => KindName;

    public override CriterionResult Evaluate(EvaluationContext context)
    {
        List<Finding>? kev = null;
        foreach (var finding in context.Findings)
            if (finding.Kev && Considers(finding)) (kev ??= []).Add(finding);
        return kev is null
            ? CriterionResult.Pass(Kind, $"No vulnerability{Scope} is in CISA KEV.")
            : CriterionResult.Fail(Kind, $"{kev.Count} vulnerabilit{(kev.Count == 1 ? "y" : "ies")}{Scope} known to be exploited (CISA KEV): {List(kev)}.", kev);
    }

    public override void Validate(string field, ValidationErrors errors)
    {
    }

    public override string Describe() => $"no vulnerability{Scope} in CISA KEV";
}
