using SupplyChainMesh.Policy.Assessments;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// The outcome of one criterion on one image: passed or not, a sentence a person can read, and what broke it
/// (the offending findings, or the offending packages for component and licence criteria).
/// </summary>
public sealed record CriterionResult
{
    /// <summary>The criterion's kind as written in the policy JSON (<c>tag</c>, <c>vulnerabilityCount</c>, ...).</summary>
    public required string Kind { get; init; }

    /// <summary>The criterion's position in the policy's <c>criteria</c> array.</summary>
    public int Index { get; init; }

    public required bool Passed { get; init; }

    public required string Reason { get; init; }

    public IReadOnlyList<Finding> OffendingFindings { get; init; } = [];

    public IReadOnlyList<AssessedPackage> OffendingPackages { get; init; } = [];

    public static CriterionResult Pass(string kind, string reason) => new() { Kind = kind, Passed = true, Reason = reason };

    public static CriterionResult Fail(string kind, string reason, IReadOnlyList<Finding>? findings = null, IReadOnlyList<AssessedPackage>? packages = null) =>
        new() { Kind = kind, Passed = false, Reason = reason, OffendingFindings = findings ?? [], OffendingPackages = packages ?? [] };
}
