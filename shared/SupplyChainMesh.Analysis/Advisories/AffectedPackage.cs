namespace SupplyChainMesh.Analysis.Advisories;

/// <summary>
/// One package an advisory affects (OSV <c>affected[]</c>): in which ecosystem, which versions, and how the
/// ecosystem rates it. Names are as the feed writes them; the index normalises them.
/// </summary>
public sealed record AffectedPackage
{
    /// <summary>The OSV ecosystem: <c>npm</c>, <c>PyPI</c>, <c>Maven</c>, <c>NuGet</c>, <c>Go</c>, <c>Debian:12</c>, <c>Alpine:v3.18</c>.</summary>
    public required string Ecosystem { get; init; }

    /// <summary>Package name in the ecosystem's spelling (Debian and Alpine: the source package).</summary>
    public required string Name { get; init; }

    public string? Purl { get; init; }

    public IReadOnlyList<AffectedRange> Ranges { get; init; } = [];

    /// <summary>Versions listed one by one (OSV <c>versions</c>); a version listed here is affected.</summary>
    public IReadOnlyList<string> Versions { get; init; } = [];

    /// <summary>The ecosystem's own rating as written, e.g. Debian urgency <c>unimportant</c>, <c>low</c>, <c>not yet assigned</c>.</summary>
    public string? EcosystemSeverity { get; init; }
}

/// <summary>OSV range types we evaluate. <c>GIT</c> ranges are parsed but never match a package version.</summary>
public enum RangeType
{
    Ecosystem,
    Semver,
    Git,
}

/// <summary>An OSV range: events in version order.</summary>
public sealed record AffectedRange(RangeType Type, IReadOnlyList<RangeEvent> Events);

public enum RangeEventKind
{
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

/// <summary>One OSV range event. <c>introduced: "0"</c> means "from the first version".</summary>
public readonly record struct RangeEvent(RangeEventKind Kind, string Version)
{
    public bool IsZero => Kind == RangeEventKind.Introduced && Version == "0";
}
