using SupplyChainMesh.Policy.Patterns;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Admission;

/// <summary>Checks an admission rule before it is stored; problems keyed by camelCase field.</summary>
public static class AdmissionRuleValidator
{
    private static readonly string[] Operators = ["In", "NotIn", "Exists", "DoesNotExist"];

    public static ValidationErrors Validate(AdmissionRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(rule.Name))
            errors.Add("name", "A rule needs a name: denials quote it.");
        for (var i = 0; i < rule.AllowedRepositories.Count; i++)
            if (RepositoryPattern.Problem(rule.AllowedRepositories[i]) is { } problem)
                errors.Add($"allowedRepositories[{i}]", problem);
        for (var i = 0; i < rule.Namespaces.Count; i++)
            if (string.IsNullOrWhiteSpace(rule.Namespaces[i]))
                errors.Add($"namespaces[{i}]", "A namespace pattern is empty.");
        if (rule.RequiredPolicy is { } policy && string.IsNullOrWhiteSpace(policy))
            errors.Add("requiredPolicy", "The required policy name is empty.");
        if (rule.MaxSeverity is { } severity && !Enum.IsDefined(severity))
            errors.Add("maxSeverity", $"Unknown severity '{severity}'.");
        if (rule.ObjectSelector is { } selector)
        {
            for (var i = 0; i < selector.MatchExpressions.Count; i++)
            {
                var e = selector.MatchExpressions[i];
                var field = $"objectSelector.matchExpressions[{i}]";
                if (!Operators.Contains(e.Operator))
                    errors.Add($"{field}.operator", $"'{e.Operator}' is not In, NotIn, Exists or DoesNotExist.");
                else if (e.Operator is "In" or "NotIn" && e.Values.Count == 0)
                    errors.Add($"{field}.values", $"{e.Operator} needs at least one value.");
                else if (e.Operator is "Exists" or "DoesNotExist" && e.Values.Count > 0)
                    errors.Add($"{field}.values", $"{e.Operator} takes no values.");
            }
        }
        if (!rule.NeedsVerdict && rule.AllowedRepositories.Count == 0)
            errors.Add("", "The rule checks nothing: set allowedRepositories, requireDigest, requireScanned, requiredPolicy, maxSeverity or denyKev.");
        return errors;
    }
}
