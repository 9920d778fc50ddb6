using System.Collections.Concurrent;

namespace SupplyChainMesh.Analysis.Versions;

/// <summary>
/// Remembers parsed versions of the schemes whose parsing allocates (PEP 440, Maven, RubyGems, Composer), so that
/// <see cref="IVersionScheme.Compare"/> on strings stays cheap: matching compares the same installed versions and
/// advisory bounds over and over. Bounded: when full it starts again empty, which keeps memory flat on odd inputs.
/// </summary>
internal sealed class ParsedVersionCache<T>(Func<string, T> parse, int capacity = 16_384)
    where T : class
{
    private readonly ConcurrentDictionary<string, T> _parsed = new(StringComparer.Ordinal);

    public T Get(string version)
    {
        if (_parsed.TryGetValue(version, out var hit)) return hit;
        var value = parse(version); // throws VersionFormatException for bad input; failures are not cached
        if (_parsed.Count >= capacity) _parsed.Clear();
        _parsed.TryAdd(version, value);
        return value;
    }
}
