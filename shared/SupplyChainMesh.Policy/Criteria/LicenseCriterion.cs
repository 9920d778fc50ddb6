using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json.Serialization;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// Licences of the inventory against a list of SPDX ids: <c>oneOf</c> is an allow list, <c>notOneOf</c> a deny list.
/// SPDX expressions are read simply: under <c>OR</c> the package may pick, so it is allowed when any choice is allowed
/// and denied only when every choice is denied; otherwise (<c>AND</c>, single ids) every id must be allowed and any
/// denied id denies. <c>WITH</c> exceptions are ignored. Packages whose licence is unknown are not judged.
/// </summary>
public sealed record LicenseCriterion : Criterion
{
    public const string KindName = "license";

    [JsonIgnore]
    public override string Kind => KindName;

    public LicenseOperator Operator { get; init; }

    public IReadOnlyList<string> Licenses { get; init; } = [];

    // Parsed expressions are shared by every evaluation: inventories repeat the same few licence strings.
    private static readonly ConcurrentDictionary<string, (string[] Ids, bool IsChoice)> Expressions = new(StringComparer.Ordinal);

    // Built on first use for this Licenses list (a `with` copy carries it over, hence the reference check); equality ignores it.
    private ListedSet? _listed;

    private sealed record ListedSet(IReadOnlyList<string> Source, FrozenSet<string> Set);

    public override CriterionResult Evaluate(EvaluationContext context)
    {
        var cached = _listed;
        if (cached is null || !ReferenceEquals(cached.Source, Licenses))
            _listed = cached = new ListedSet(Licenses, Licenses.ToFrozenSet(StringComparer.OrdinalIgnoreCase));
        var listed = cached.Set;
        List<AssessedPackage>? offending = null;
        foreach (var package in context.Assessment.Packages)
        {
            foreach (var expression in package.Licenses)
            {
                if (Expressions.Count > 10_000) Expressions.Clear();
                var (ids, isChoice) = Expressions.GetOrAdd(expression, static e => ([.. SpdxIds(e, out var choice)], choice));
                if (ids.Length == 0) continue;
                bool bad = Operator == LicenseOperator.OneOf
                    ? isChoice ? !Array.Exists(ids, listed.Contains) : !Array.TrueForAll(ids, listed.Contains)
                    : isChoice ? Array.TrueForAll(ids, listed.Contains) : Array.Exists(ids, listed.Contains);
                if (bad)
                {
                    (offending ??= []).Add(package);
                    break;
                }
            }
        }
        if (offending is null)
            return CriterionResult.Pass(Kind, $"Every licence satisfies: {Describe()}.");
        var shown = string.Join(", ", offending.Take(5).Select(p => $"{p.Name} ({string.Join(" / ", p.Licenses)})"));
        var more = offending.Count > 5 ? $" and {offending.Count - 5} more" : "";
        return CriterionResult.Fail(Kind, $"{offending.Count} package(s) break '{Describe()}': {shown}{more}.", packages: offending);
    }

    internal static List<string> SpdxIds(string expression, out bool isChoice)
    {
        var ids = new List<string>();
        isChoice = false;
        var skipNext = false;
        foreach (var token in expression.Split([' ', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (skipNext) { skipNext = false; continue; }
            switch (token.ToUpperInvariant())
            {
                case "OR": isChoice = true; break;
                case "AND": break;
                case "WITH": skipNext = true; break;
                default: ids.Add(token); break;
            }
        }
        return ids;
    }

    public override void Validate(string field, ValidationErrors errors)
    {
        var licensesField = ValidationErrors.Child(field, "licenses");
        if (!Enum.IsDefined(Operator))
            errors.Add(ValidationErrors.Child(field, "operator"), "The licence operator is 'oneOf' or 'notOneOf'.");
        if (Licenses.Count == 0)
            errors.Add(licensesField, "List at least one SPDX licence id.");
        foreach (var id in Licenses)
        {
            var body = id.EndsWith('+') ? id[..^1] : id;
            if (body.Length == 0 || !body.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
                errors.Add(licensesField, $"'{id}' is not an SPDX licence id (letters, digits, '.', '-', optionally ending in '+').");
        }
    }

    // Value equality over the list, so equal criteria compare equal after a JSON round trip.
    public bool Equals(LicenseCriterion? other) =>
        other is not null && Operator == other.Operator && Licenses.SequenceEqual(other.Licenses, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Operator, Licenses.Count > 0 ? Licenses[0] : null, Licenses.Count);

    public override string Describe() =>
        $"licence is {(Operator == LicenseOperator.OneOf ? "one of" : "not one of")} [{string.Join(", ", Licenses)}]";
}
