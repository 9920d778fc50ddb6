namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// A version range over one ecosystem's ordering: comma-separated constraints that must all hold, alternatives
/// joined by <c>||</c>. Operators <c>&gt;= &gt; = != &lt;= &lt;</c>; a bare version means <c>=</c>.
/// <c>&gt;=1.2.0, &lt;1.2.9 || &gt;=2.0.0, &lt;2.0.3</c>. Versions are compared by the purl type's scheme.
/// </summary>
public sealed class VersionRange
{
    private readonly IReadOnlyList<IReadOnlyList<(ComparisonOperator Op, string Version)>> _alternatives;

    private VersionRange(string text, IReadOnlyList<IReadOnlyList<(ComparisonOperator, string)>> alternatives)
    {
        Text = text;
        _alternatives = alternatives;
    }

    public string Text { get; }

    public IEnumerable<string> Versions => _alternatives.SelectMany(a => a.Select(c => c.Version));

    public static bool TryParse(string text, out VersionRange? range, out string? error)
    {
        range = null;
        error = null;
        var alternatives = new List<IReadOnlyList<(ComparisonOperator, string)>>();
        foreach (var alternative in text.Split("||"))
        {
            var constraints = new List<(ComparisonOperator, string)>();
            foreach (var raw in alternative.Split(','))
            {
                var c = raw.Trim();
                if (c.Length == 0)
                {
                    error = $"'{text}' has an empty constraint.";
                    return false;
                }
                var (op, length) = c switch
                {
                    _ when c.StartsWith(">=", StringComparison.Ordinal) => (ComparisonOperator.GreaterOrEqual, 2),
                    _ when c.StartsWith("<=", StringComparison.Ordinal) => (ComparisonOperator.LessOrEqual, 2),
                    _ when c.StartsWith("!=", StringComparison.Ordinal) => (ComparisonOperator.NotEqual, 2),
                    _ when c.StartsWith("==", StringComparison.Ordinal) => (ComparisonOperator.Equal, 2),
                    _ when c.StartsWith('>') => (ComparisonOperator.Greater, 1),
                    _ when c.StartsWith('<') => (ComparisonOperator.Less, 1),
                    _ when c.StartsWith('=') => (ComparisonOperator.Equal, 1),
                    _ => (ComparisonOperator.Equal, 0),
                };
                var version = c[length..].Trim();
                if (version.Length == 0 || version.Any(char.IsWhiteSpace))
                {
                    error = $"'{c}' in '{text}' is not an operator followed by one version.";
                    return false;
                }
                constraints.Add((op, version));
            }
            alternatives.Add(constraints);
        }
        range = new VersionRange(text, alternatives);
        return true;
    }

    public bool Contains(string purlType, string version, IVersionComparer comparer)
    {
        foreach (var alternative in _alternatives)
        {
            var all = true;
            foreach (var (op, bound) in alternative)
            {
                if (!op.Holds(comparer.Compare(purlType, version, bound), 0))
                {
                    all = false;
                    break;
                }
            }
            if (all) return true;
        }
        return false;
    }
}
