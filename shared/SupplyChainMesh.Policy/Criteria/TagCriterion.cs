using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using SupplyChainMesh.Policy.Patterns;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// The pushed tag's name: equals, starts with, ends with, contains (<see cref="Value"/>), is one of / is not one of
/// (<see cref="Values"/>), a glob or a regular expression (<see cref="Value"/>; run with a timeout). Case-sensitive, as tags are.
/// </summary>
public sealed record TagCriterion : Criterion
{
    public const string KindName = "tag";

    [JsonIgnore]
    public override string Kind => KindName;

    public TagOperator Operator { get; init; }

    public string? Value { get; init; }

    public IReadOnlyList<string>? Values { get; init; }

    private bool UsesList => Operator is TagOperator.OneOf or TagOperator.NotOneOf;

    public override CriterionResult Evaluate(EvaluationContext context)
    {
        var tag = context.Assessment.Tag;
        if (string.IsNullOrEmpty(tag))
            return CriterionResult.Fail(Kind, $"The image has no tag, so {Describe()} cannot hold.");
        bool holds;
        try
        {
            holds = Operator switch
            {
                TagOperator.EqualTo => tag == Value,
                TagOperator.StartsWith => tag.StartsWith(Value ?? "", StringComparison.Ordinal),
                TagOperator.EndsWith => tag.EndsWith(Value ?? "", StringComparison.Ordinal),
                TagOperator.Contains => tag.Contains(Value ?? "", StringComparison.Ordinal),
                TagOperator.OneOf => Values?.Contains(tag, StringComparer.Ordinal) ?? false,
                TagOperator.NotOneOf => !(Values?.Contains(tag, StringComparer.Ordinal) ?? false),
                TagOperator.Glob => GlobPattern.IsMatch(Value ?? "", tag),
                TagOperator.Regex => UserRegex.Get(Value ?? "").IsMatch(tag),
                _ => false,
            };
        }
        catch (RegexMatchTimeoutException)
        {
            return CriterionResult.Fail(Kind, $"The regular expression '{Value}' took longer than {UserRegex.MatchTimeout.TotalMilliseconds} ms on tag '{tag}' and was abandoned.");
        }
        return holds
            ? CriterionResult.Pass(Kind, $"Tag '{tag}' {Describe()["tag ".Length..]}.")
            : CriterionResult.Fail(Kind, $"Tag '{tag}' does not satisfy: {Describe()}.");
    }

    public override void Validate(string field, ValidationErrors errors)
    {
        if (!Enum.IsDefined(Operator))
        {
            errors.Add(ValidationErrors.Child(field, "operator"), $"Unknown tag operator '{Operator}'.");
            return;
        }
        if (UsesList)
        {
            if (Values is null || Values.Count == 0)
                errors.Add(ValidationErrors.Child(field, "values"), $"The '{OperatorName}' tag operator needs a non-empty 'values' list.");
            return;
        }
        if (string.IsNullOrEmpty(Value))
        {
            errors.Add(ValidationErrors.Child(field, "value"), $"The '{OperatorName}' tag operator needs a 'value'.");
            return;
        }
        if (Operator == TagOperator.Regex && UserRegex.Problem(Value) is { } problem)
            errors.Add(ValidationErrors.Child(field, "value"), problem);
    }

    private string OperatorName => Operator switch
    {
        TagOperator.EqualTo => "equals",
        TagOperator.StartsWith => "startsWith",
        TagOperator.EndsWith => "endsWith",
        TagOperator.Contains => "contains",
        TagOperator.OneOf => "oneOf",
        TagOperator.NotOneOf => "notOneOf",
        TagOperator.Glob => "glob",
        TagOperator.Regex => "regex",
        _ => Operator.ToString(),
    };

    // Value equality over the list, so equal criteria compare equal after a JSON round trip.
    public bool Equals(TagCriterion? other) =>
        other is not null && Operator == other.Operator && Value == other.Value &&
        (Values is null ? other.Values is null : other.Values is not null && Values.SequenceEqual(other.Values, StringComparer.Ordinal));

    public override int GetHashCode() => HashCode.Combine(Operator, Value, Values?.Count);

    public override string Describe() => Operator switch
    {
        TagOperator.EqualTo => $"tag equals '{Value}'",
        TagOperator.StartsWith => $"tag starts with '{Value}'",
        TagOperator.EndsWith => $"tag ends with '{Value}'",
        TagOperator.Contains => $"tag contains '{Value}'",
        TagOperator.OneOf => $"tag is one of [{string.Join(", ", Values ?? [])}]",
        TagOperator.NotOneOf => $"tag is not one of [{string.Join(", ", Values ?? [])}]",
        TagOperator.Glob => $"tag matches glob '{Value}'",
        TagOperator.Regex => $"tag matches regular expression '{Value}'",
        _ => $"tag {Operator} '{Value}'",
    };
}
