using System.Text.Json.Serialization;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>The image must have been pushed less than <see cref="Days"/> days ago; an unknown push time fails.</summary>
public sealed record PushedWithinCriterion : Criterion
{
    public const string KindName = "pushedWithin";

    [JsonIgnore]
    public override string Kind => KindName;

    public double Days { get; init; }

    public override CriterionResult Evaluate(EvaluationContext context)
    {
        if (context.Assessment.PushedAt is not { } pushed)
            return CriterionResult.Fail(Kind, "The push time of the image is unknown.");
        var age = (context.Now - pushed).TotalDays;
        return age < Days
            ? CriterionResult.Pass(Kind, $"Pushed {age:0.#} days ago, within {Days:0.#} days.")
            : CriterionResult.Fail(Kind, $"Pushed {age:0.#} days ago; the policy requires less than {Days:0.#} days.");
    }

    public override void Validate(string field, ValidationErrors errors)
    {
        if (Days <= 0 || double.IsNaN(Days))
            errors.Add(ValidationErrors.Child(field, "days"), "The number of days must be more than zero.");
    }

    public override string Describe() => $"pushed less than {Days:0.#} days ago";
}
