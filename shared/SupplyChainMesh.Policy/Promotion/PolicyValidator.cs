using SupplyChainMesh.Policy.Patterns;
using SupplyChainMesh.Policy.Templates;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Promotion;

/// <summary>
/// Checks a policy before it is stored: every problem is reported against the camelCase JSON path of its field,
/// so the service answers 400 with problem details whose <c>errors</c> name exactly what to fix.
/// </summary>
public static class PolicyValidator
{
    public const int MaxCriteria = 64;

    public static ValidationErrors Validate(PromotionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new ValidationErrors();
        if (policy.Name.Length > 200)
            errors.Add("name", "The name is longer than 200 characters.");
        if (RepositoryPattern.Problem(policy.SourceRepository) is { } sourceProblem)
            errors.Add("sourceRepository", sourceProblem);

        if (policy.Criteria.Count > MaxCriteria)
            errors.Add("criteria", $"A policy has at most {MaxCriteria} criteria.");
        for (var i = 0; i < policy.Criteria.Count; i++)
        {
            var field = $"criteria[{i}]";
            if (policy.Criteria[i] is null)
                errors.Add(field, "A criterion is null.");
            else
                policy.Criteria[i].Validate(field, errors);
        }

        if (policy.Action is not { } action)
        {
            errors.Add("action", "An action (targetRepository, tagTemplate, mode) is required.");
            return errors;
        }
        if (string.IsNullOrWhiteSpace(action.TargetRepository))
        {
            errors.Add("action.targetRepository", "The target repository is required.");
        }
        else if (action.TargetRepository.AsSpan().IndexOfAny('*', '?') >= 0)
        {
            errors.Add("action.targetRepository", "The target must be one repository, not a pattern.");
        }
        else if (RepositoryTemplate.Problem(action.TargetRepository, out var sampleTarget) is { } placeholderProblem)
        {
            errors.Add("action.targetRepository", placeholderProblem);
        }
        else if (RepositoryPattern.Problem(sampleTarget) is { } targetProblem)
        {
            errors.Add("action.targetRepository", targetProblem);
        }
        else if (RepositoryPattern.Problem(policy.SourceRepository) is null
            && PromotionLoop.ProblemForAnySource(policy.SourceRepository, action.TargetRepository) is { } loopProblem)
        {
            // Rendered with the real source (or sample repositories of a source pattern), not the placeholder sample:
            // dev/{name} on dev/app renders to dev/app itself.
            errors.Add("action.targetRepository", loopProblem);
        }
        if (!TagTemplate.TryParse(action.TagTemplate, out _, out var templateErrors))
            foreach (var e in templateErrors) errors.Add("action.tagTemplate", e);
        if (!Enum.IsDefined(action.Mode))
            errors.Add("action.mode", "The mode is 'copy' or 'move'.");
        return errors;
    }
}
