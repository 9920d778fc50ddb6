using SupplyChainMesh.Contracts;
using SupplyChainMesh.Policy.Promotion;

namespace SupplyChainMesh.PolicyEngine.Evaluation;

/// <summary>Turns a library verdict into the mesh's event: <see cref="PolicySatisfied"/> for the Promoter, or
/// <see cref="PolicyViolated"/> naming every failed criterion with its reason and the offending vulnerability ids.</summary>
public static class VerdictMessages
{
    public static object For(ImageIdentity image, PolicyVerdict verdict, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        // A satisfied policy whose tag template cannot render (no source tag for %n) cannot be promoted: say so.
        if (verdict.Outcome == PolicyOutcome.Satisfied && verdict.Promotion is { Tag: { } tag } target)
        {
            return new PolicySatisfied
            {
                Image = image,
                PolicyId = verdict.PolicyId,
                PolicyName = verdict.PolicyName,
                TargetRepository = target.Repository,
                TargetTag = tag,
                Action = target.Mode == PromotionMode.Move ? "move" : "copy",
                Fingerprint = fingerprint,
            };
        }
        IReadOnlyList<FailedCriterion> failed = verdict.Outcome == PolicyOutcome.Satisfied
            ? [new FailedCriterion("action", verdict.Promotion?.Problem ?? "The policy has no action.", [])]
            : [.. verdict.Failures.Select(f => new FailedCriterion(
                $"[{f.Index}] {f.Kind}", f.Reason, [.. f.OffendingFindings.SelectMany(x => x.Aliases.Prepend(x.VulnerabilityId)).Distinct(StringComparer.OrdinalIgnoreCase)]))];
        return new PolicyViolated
        {
            Image = image,
            PolicyId = verdict.PolicyId,
            PolicyName = verdict.PolicyName,
            FailedCriteria = failed,
            Fingerprint = fingerprint,
        };
    }
}
