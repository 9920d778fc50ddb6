using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Matching;

/// <summary>
/// One advisory's <c>affected[]</c> entry, prepared for matching: range events sorted once with the ecosystem's version
/// scheme (OSV says ranges are evaluated in version order, and feeds do not always write them so), explicit versions in
/// a set. Immutable and shared by every match.
/// </summary>
internal sealed class AffectedEntry
{
    private readonly RangeEvent[][] _ranges;
    private readonly string[]? _versions;

    /// <param name="versions">The explicit versions; defaults to <paramref name="affected"/>'s. The index passes them
    /// separately so the affected entry it keeps can drop its own list.</param>
    public AffectedEntry(Advisory advisory, AffectedPackage affected, IVersionScheme? scheme, IReadOnlyList<string>? versions = null)
    {
        Advisory = advisory;
        Affected = affected;
        Scheme = scheme;
        versions ??= affected.Versions;
        if (versions.Count > 0)
        {
            // A sorted array (binary search) costs a third of a hash set's memory; there are ~600k of these strings.
            _versions = [.. versions];
            Array.Sort(_versions, StringComparer.Ordinal);
        }
        var ranges = new List<RangeEvent[]>(affected.Ranges.Count);
        foreach (var range in affected.Ranges)
        {
            // GIT ranges name commits, not versions; with no scheme the ranges cannot be ordered at all.
            if (range.Type == RangeType.Git || scheme is null || range.Events.Count == 0) continue;
            var events = range.Events.ToArray();
            SortEvents(events, scheme);
            ranges.Add(events);
        }
        _ranges = [.. ranges];
    }

    public Advisory Advisory { get; }

    public AffectedPackage Affected { get; }

    public IVersionScheme? Scheme { get; }

    /// <summary>True when <paramref name="version"/> is affected; <paramref name="fixedVersion"/> is the fix of the range
    /// that matched (null: no fix in that range, or matched by the explicit version list only).</summary>
    public bool Matches(string version, out string? fixedVersion)
    {
        fixedVersion = null;
        var listed = _versions is not null && Array.BinarySearch(_versions, version, StringComparer.Ordinal) >= 0;
        foreach (var events in _ranges)
        {
            if (InRange(events, version, Scheme!, out fixedVersion)) return true;
        }
        return listed;
    }

    private static bool InRange(RangeEvent[] events, string version, IVersionScheme scheme, out string? fixedVersion)
    {
        fixedVersion = null;
        var affected = false;
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            switch (e.Kind)
            {
                case RangeEventKind.Introduced:
                    if (e.IsZero || SafeCompare(scheme, version, e.Version) >= 0) affected = true;
                    else return Finish(affected, events, i, out fixedVersion);
                    break;
                case RangeEventKind.Fixed:
                case RangeEventKind.Limit:
                    if (SafeCompare(scheme, version, e.Version) >= 0) affected = false;
                    else return Finish(affected, events, i, out fixedVersion);
                    break;
                case RangeEventKind.LastAffected:
                    if (SafeCompare(scheme, version, e.Version) > 0) affected = false;
                    else return Finish(affected, events, i, out fixedVersion);
                    break;
            }
        }
        return affected;
    }

    // Events are sorted: once one lies above the version, no later event changes the state. The fix of the
    // matching range is the first `fixed` at or after that point.
    private static bool Finish(bool affected, RangeEvent[] events, int from, out string? fixedVersion)
    {
        fixedVersion = null;
        if (!affected) return false;
        for (var j = from; j < events.Length; j++)
        {
            if (events[j].Kind == RangeEventKind.Fixed) { fixedVersion = events[j].Version; break; }
            if (events[j].Kind == RangeEventKind.Introduced) break;
        }
        return true;
    }

    private static void SortEvents(RangeEvent[] events, IVersionScheme scheme)
    {
        try
        {
            // Stable: at equal versions keep the feed's order.
            var indexed = events.Select((e, i) => (e, i)).ToArray();
            Array.Sort(indexed, (a, b) =>
            {
                var c = a.e.IsZero ? (b.e.IsZero ? 0 : -1) : b.e.IsZero ? 1 : scheme.Compare(a.e.Version, b.e.Version);
                return c != 0 ? c : a.i.CompareTo(b.i);
            });
            for (var i = 0; i < events.Length; i++) events[i] = indexed[i].e;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // A version the scheme cannot read: keep the feed's order (it is sorted in practice).
        }
    }

    private static int SafeCompare(IVersionScheme scheme, string left, string right)
    {
        try
        {
            return scheme.Compare(left, right);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            // Unorderable: treat as "not at or above this bound", so an unreadable fix version never hides a match
            // and an unreadable introduced version never creates one.
            return -1;
        }
    }
}
