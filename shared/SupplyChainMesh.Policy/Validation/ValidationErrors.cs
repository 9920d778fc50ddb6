namespace SupplyChainMesh.Policy.Validation;

/// <summary>
/// Validation problems keyed by the camelCase JSON path of the field (<c>criteria[0].pattern</c>,
/// <c>action.tagTemplate</c>), shaped like RFC 7807 validation problem details' <c>errors</c> member, so the
/// service can return <c>Results.ValidationProblem(errors.ToDictionary())</c> as it is.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public int Count => _errors.Count;

    public IEnumerable<string> Fields => _errors.Keys;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
            _errors[field] = messages = [];
        messages.Add(message);
    }

    public IReadOnlyList<string> For(string field) => _errors.TryGetValue(field, out var messages) ? messages : [];

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public override string ToString() =>
        string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));

    internal static string Child(string parent, string member) => parent.Length == 0 ? member : $"{parent}.{member}";
}
