using System.Text.Json.Serialization;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>No finding may have a CVSS base score above <see cref="Score"/>. Findings without a score do not count.</summary>
public sealed record MaxCvssCriterion : VulnerabilityCriterion
{
    public const string KindName = "maxCvss";

    [JsonIgnore]
    public override string Kind => KindName;

    public double Score { get; init; }

    public override CriterionResult Evaluate(EvaluationContext context)
    {
        List<Finding>? over = null;
        double highest = 0;
        foreach (var finding in context.Findings)
        {
            if (!Considers(finding) || finding.CvssScore is not { } score) continue;
            highest = Math.Max(highest, score);
            if (score > Score) (over ??= []).Add(finding);
        }
        if (over is null)
            return CriterionResult.Pass(Kind, $"The highest CVSS score{Scope} is {highest:0.0}, within the maximum {Score:0.0}.");
        return CriterionResult.Fail(Kind,
            $"{over.Count} finding(s){Scope} score above CVSS {Score:0.0} (highest {highest:0.0}): {List(over)}.", over);
    }

    public override void Validate(string field, ValidationErrors errors)
    {
        if (Score is < 0 or > 10 || double.IsNaN(Score))
            errors.Add(ValidationErrors.Child(field, "score"), "A CVSS score is between 0.0 and 10.0.");
    }

    public override string Describe() => $"CVSS score{Scope} at most {Score:0.0}";
}
