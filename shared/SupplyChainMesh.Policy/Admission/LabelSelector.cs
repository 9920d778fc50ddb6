namespace SupplyChainMesh.Policy.Admission;

/// <summary>A Kubernetes label selector: <c>matchLabels</c> and <c>matchExpressions</c> (In, NotIn, Exists, DoesNotExist), all ANDed.</summary>
public sealed record LabelSelector
{
    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<LabelSelectorRequirement> MatchExpressions { get; init; } = [];

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in MatchLabels)
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        foreach (var e in MatchExpressions)
        {
            var has = labels.TryGetValue(e.Key, out var actual);
            var ok = e.Operator switch
            {
                "In" => has && (e.Values?.Contains(actual!) ?? false),
                "NotIn" => !has || !(e.Values?.Contains(actual!) ?? false),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }
}

public sealed record LabelSelectorRequirement(string Key, string Operator, IReadOnlyList<string> Values);
