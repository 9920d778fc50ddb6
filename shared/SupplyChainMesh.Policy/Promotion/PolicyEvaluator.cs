using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Exceptions;
using SupplyChainMesh.Policy.Patterns;
using SupplyChainMesh.Policy.Templates;
using SupplyChainMesh.Policy.Vex;

namespace SupplyChainMesh.Policy.Promotion;

/// <summary>
/// Evaluates an image against promotion policies. Order of work: exceptions and VEX suppress findings once per image
/// (<see cref="FindingSuppressor"/>); then each enabled policy whose source pattern matches the repository, in
/// <see cref="PromotionPolicy.Order"/> then id order, runs all its criteria; a policy is satisfied when all pass.
/// Pure and thread-safe: the same inputs and <c>now</c> give the same result.
/// </summary>
public sealed class PolicyEvaluator
{
    public PolicyEvaluator(IVersionComparer? versions = null)
    {
        Versions = versions ?? DefaultVersionComparer.Instance;
    }

    public static PolicyEvaluator Default { get; } = new();

    public IVersionComparer Versions { get; }

    public EvaluationResult Evaluate(
        ImageAssessment assessment,
        IEnumerable<PromotionPolicy> policies,
        IEnumerable<VulnerabilityException>? exceptions = null,
        IEnumerable<VexStatement>? vexStatements = null,
        DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(policies);
        var at = now ?? DateTimeOffset.UtcNow;
        var (active, suppressed) = FindingSuppressor.Apply(
            assessment, AsList(exceptions), AsList(vexStatements), at);
        var context = new EvaluationContext(assessment, active, at, Versions);

        var ordered = policies as IReadOnlyList<PromotionPolicy> ?? [.. policies];
        var sorted = InEvaluationOrder(ordered) ? ordered : [.. ordered.OrderBy(p => p.Order).ThenBy(p => p.Id)];
        var verdicts = new List<(PromotionPolicy, PolicyVerdict)>();
        List<SkippedPolicy>? skipped = null;
        foreach (var policy in sorted)
        {
            if (!policy.Enabled)
            {
                (skipped ??= []).Add(new SkippedPolicy(policy.Id, policy.Name, "The policy is disabled."));
                continue;
            }
            if (!RepositoryPattern.Matches(policy.SourceRepository, assessment.Registry, assessment.Repository))
            {
                (skipped ??= []).Add(new SkippedPolicy(policy.Id, policy.Name,
                    $"Repository '{assessment.Repository}' does not match the policy's source '{policy.SourceRepository}'."));
                continue;
            }
            verdicts.Add((policy, EvaluatePolicy(policy, context)));
        }
        return new EvaluationResult
        {
            Registry = assessment.Registry,
            Repository = assessment.Repository,
            Tag = assessment.Tag,
            ManifestDigest = assessment.ManifestDigest,
            EvaluatedAt = at,
            Verdicts = [.. verdicts.Select(v => v.Item2)],
            Skipped = (IReadOnlyList<SkippedPolicy>?)skipped ?? [],
            Suppressed = suppressed,
            Fingerprint = VerdictFingerprint.Compute(assessment.Registry, assessment.Repository, assessment.Tag, assessment.ManifestDigest, verdicts, suppressed),
        };
    }

    public static PolicyVerdict EvaluatePolicy(PromotionPolicy policy, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(context);
        var results = new CriterionResult[policy.Criteria.Count];
        var satisfied = true;
        for (var i = 0; i < results.Length; i++)
        {
            var result = policy.Criteria[i].Evaluate(context) with { Index = i };
            satisfied &= result.Passed;
            results[i] = result;
        }
        return new PolicyVerdict
        {
            PolicyId = policy.Id,
            PolicyName = policy.Name,
            Order = policy.Order,
            Outcome = satisfied ? PolicyOutcome.Satisfied : PolicyOutcome.Violated,
            Criteria = results,
            Promotion = satisfied && policy.Action is { } action ? Target(policy, action, context) : null,
        };
    }

    private static PromotionTarget Target(PromotionPolicy policy, PromotionAction action, EvaluationContext context)
    {
        var image = context.Assessment;
        var repository = RepositoryTemplate.Render(action.TargetRepository, image.Repository);
        // The validator refuses such targets, but a policy stored before it did (or written to the database directly)
        // must not make the Promoter copy an image onto itself or into a repository this policy promotes again.
        if (PromotionLoop.Problem(policy.SourceRepository, image.Registry, image.Repository, action.TargetRepository, repository) is { } loop)
            return new PromotionTarget(repository, null, action.Mode, loop);
        if (!TagTemplate.TryParse(action.TagTemplate, out var template, out var errors))
            return new PromotionTarget(repository, null, action.Mode, string.Join(" ", errors));
        try
        {
            return new PromotionTarget(repository, template!.Render(context.Assessment.Tag, context.Now), action.Mode);
        }
        catch (InvalidOperationException ex)
        {
            return new PromotionTarget(repository, null, action.Mode, ex.Message);
        }
    }

    /// <summary>
    /// The fingerprint of one policy's verdict on the image of <paramref name="result"/> (what
    /// <see cref="EvaluationResult.Fingerprint"/> says about that policy alone): a service that stores the latest verdict
    /// per policy and image publishes again only when this changes.
    /// </summary>
    public static string FingerprintOf(EvaluationResult result, PromotionPolicy policy, PolicyVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(verdict);
        return VerdictFingerprint.Compute(result.Registry, result.Repository, result.Tag, result.ManifestDigest, [(policy, verdict)], []);
    }

    // Stores usually hand policies over already sorted: check before paying for a sort per image.
    private static bool InEvaluationOrder(IReadOnlyList<PromotionPolicy> policies)
    {
        for (var i = 1; i < policies.Count; i++)
        {
            var (a, b) = (policies[i - 1], policies[i]);
            if (a.Order > b.Order || a.Order == b.Order && a.Id.CompareTo(b.Id) > 0) return false;
        }
        return true;
    }

    private static IReadOnlyList<T> AsList<T>(IEnumerable<T>? items) => items switch
    {
        null => [],
        IReadOnlyList<T> list => list,
        _ => [.. items],
    };
}
