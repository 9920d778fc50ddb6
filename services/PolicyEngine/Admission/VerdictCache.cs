using System.Collections.Concurrent;
using SupplyChainMesh.Policy.Admission;

namespace SupplyChainMesh.PolicyEngine.Admission;

/// <summary>
/// Verdicts the admission webhook has looked up, by normalised reference (<c>registry/repository@digest</c> or
/// <c>registry/repository:tag</c>). An image evaluated anew clears its repository's entries here; entries also expire
/// after <see cref="TimeToLive"/>, which bounds how stale another replica's cache can be.
/// </summary>
public sealed class VerdictCache(TimeProvider time)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (ImageVerdict? Verdict, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public bool TryGet(string key, out ImageVerdict? verdict)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow())
        {
            verdict = entry.Verdict;
            return true;
        }
        verdict = null;
        return false;
    }

    public void Set(string key, ImageVerdict? verdict) => _entries[key] = (verdict, time.GetUtcNow() + TimeToLive);

    /// <summary>Forgets every entry of <c>registry/repository</c>: a new verdict may move its tags.</summary>
    public void Invalidate(string registry, string repository)
    {
        var prefix = $"{registry}/{repository}";
        foreach (var key in _entries.Keys)
            if (key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.Ordinal) && key[prefix.Length] is '@' or ':')
                _entries.TryRemove(key, out _);
    }

    public void Clear() => _entries.Clear();
}
