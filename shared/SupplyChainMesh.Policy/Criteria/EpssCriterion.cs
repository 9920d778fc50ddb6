using System.Text.Json.Serialization;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>No finding may have an EPSS probability at or above <see cref="Threshold"/>.</summary>
public sealed record EpssCriterion : VulnerabilityCriterion
{
    public const string KindName = "epss";

    [JsonIgnore]
    public override string Kind => KindName;

    public double Threshold { get; init; }

    public override CriterionResult Evaluate(EvaluationContext context)
    {
        List<Finding>? likely = null;
        foreach (var finding in context.Findings)
            if (Considers(finding) && finding.Epss >= Threshold) (likely ??= []).Add(finding);
        return likely is null
            ? CriterionResult.Pass(Kind, $"No vulnerability{Scope} has an EPSS at or above {Threshold:0.###}.")
            : CriterionResult.Fail(Kind, $"{likely.Count} vulnerabilit{(likely.Count == 1 ? "y" : "ies")}{Scope} with EPSS at or above {Threshold:0.###}: {List(likely)}.", likely);
    }

    public override void Validate(string field, ValidationErrors errors)
    {
        if (Threshold is < 0 or > 1 || double.IsNaN(Threshold))
            errors.Add(ValidationErrors.Child(field, "threshold"), "EPSS is a probability between 0 and 1.");
    }

    public override string Describe() => $"no vulnerability{Scope} with EPSS >= {Threshold:0.###}";
}
