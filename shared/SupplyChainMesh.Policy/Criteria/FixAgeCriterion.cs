using System.Text.Json.Serialization;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// No fix may have been left unapplied for longer than <see cref="MaxDays"/>: a finding whose fix was published more
/// than that many days ago fails the criterion (a patch SLA). Findings with no fix, or no known fix date, do not count.
/// </summary>
public sealed record FixAgeCriterion : VulnerabilityCriterion
{
    public const string KindName = "fixAge";

    [JsonIgnore]
    public override string Kind => KindName;

    public double MaxDays { get; init; }

    public override CriterionResult Evaluate(EvaluationContext context)
    {
        List<Finding>? stale = null;
        foreach (var finding in context.Findings)
        {
            if (finding is { FixAvailable: true, FixPublishedAt: { } published } && (context.Now - published).TotalDays > MaxDays)
                (stale ??= []).Add(finding);
        }
        return stale is null
            ? CriterionResult.Pass(Kind, $"No available fix is older than {MaxDays:0.#} days.")
            : CriterionResult.Fail(Kind, $"{stale.Count} fix(es) published more than {MaxDays:0.#} days ago are not applied: {List(stale)}.", stale);
    }

    public override void Validate(string field, ValidationErrors errors)
    {
        if (MaxDays < 0 || double.IsNaN(MaxDays))
            errors.Add(ValidationErrors.Child(field, "maxDays"), "The age must be zero or more days.");
    }

    public override string Describe() => $"no unapplied fix older than {MaxDays:0.#} days";
}
