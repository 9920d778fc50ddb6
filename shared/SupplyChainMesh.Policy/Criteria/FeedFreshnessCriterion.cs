using System.Text.Json.Serialization;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>Every feed the match used must have been refreshed within <see cref="MaxAgeHours"/>; unknown feed ages fail.</summary>
public sealed record FeedFreshnessCriterion : Criterion
{
    public const string KindName = "feedFreshness";

    [JsonIgnore]
    public override string Kind => KindName;

    public double MaxAgeHours { get; init; }

    public override CriterionResult Evaluate(EvaluationContext context)
    {
        var feeds = context.Assessment.Feeds;
        if (feeds.Count == 0)
            return CriterionResult.Fail(Kind, "The assessment names no feeds, so their freshness is unknown.");
        var stale = feeds.Where(f => (context.Now - f.UpdatedAt).TotalHours > MaxAgeHours).ToList();
        if (stale.Count == 0)
        {
            var oldest = feeds.Max(f => context.Now - f.UpdatedAt);
            return CriterionResult.Pass(Kind, $"All {feeds.Count} feeds are fresh (oldest {oldest.TotalHours:0.#} h, bound {MaxAgeHours:0.#} h).");
        }
        var list = string.Join(", ", stale.Select(f => $"{f.Name} ({(context.Now - f.UpdatedAt).TotalHours:0.#} h old)"));
        return CriterionResult.Fail(Kind, $"Feeds older than {MaxAgeHours:0.#} h: {list}.");
    }

    public override void Validate(string field, ValidationErrors errors)
    {
        if (MaxAgeHours <= 0 || double.IsNaN(MaxAgeHours))
            errors.Add(ValidationErrors.Child(field, "maxAgeHours"), "The feed age bound must be more than zero hours.");
    }

    public override string Describe() => $"feeds no older than {MaxAgeHours:0.#} h";
}
