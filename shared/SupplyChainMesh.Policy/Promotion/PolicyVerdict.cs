using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Criteria;

namespace SupplyChainMesh.Policy.Promotion;

/// <summary>
/// One policy's verdict on one image: satisfied (with where to promote) or violated, and every criterion's result,
/// so "why not" lists all failing criteria, not just the first.
/// </summary>
public sealed record PolicyVerdict
{
    public required Guid PolicyId { get; init; }

    public string PolicyName { get; init; } = "";

    public int Order { get; init; }

    public required PolicyOutcome Outcome { get; init; }

    public IReadOnlyList<CriterionResult> Criteria { get; init; } = [];

    public PromotionTarget? Promotion { get; init; }

    public IEnumerable<CriterionResult> Failures => Criteria.Where(c => !c.Passed);

    /// <summary>The distinct findings that broke any criterion.</summary>
    public IEnumerable<Finding> OffendingFindings => Failures.SelectMany(c => c.OffendingFindings).Distinct();

    /// <summary>One sentence per failing criterion, e.g. for a PolicyViolated message.</summary>
    public string Explanation => Outcome == PolicyOutcome.Satisfied
        ? $"Policy '{PolicyName}' is satisfied."
        : $"Policy '{PolicyName}' is violated: " + string.Join(" ", Failures.Select(f => $"[{f.Index}:{f.Kind}] {f.Reason}"));
}
