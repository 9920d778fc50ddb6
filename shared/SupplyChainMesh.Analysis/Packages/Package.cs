namespace SupplyChainMesh.Analysis.Packages;

/// <summary>
/// One installed package as a detector found it in a layer. Immutable and serialisable: layer findings are stored
/// as JSON and squashed later, so everything a matcher needs (source package, distribution) travels with it.
/// </summary>
public sealed record Package
{
    /// <summary>The purl type: <c>deb</c>, <c>apk</c>, <c>rpm</c>, <c>npm</c>, <c>pypi</c>, <c>maven</c>, <c>nuget</c>, <c>golang</c>, <c>cargo</c>, <c>gem</c>, <c>composer</c>. See <see cref="PurlType"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The purl namespace: the distribution for OS packages (<c>debian</c>), the Maven group, the npm scope.</summary>
    public string? Namespace { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary>Source package (Debian source, RPM source RPM name, apk origin). Feeds of distributions name these.</summary>
    public string? SourceName { get; init; }

    public string? SourceVersion { get; init; }

    public string? Arch { get; init; }

    /// <summary>Distribution qualifier as purl writes it, e.g. <c>debian-12</c>, <c>alpine-3.18</c>. Null for language packages.</summary>
    public string? Distro { get; init; }

    /// <summary>SPDX ids (or raw licence strings where no id could be derived).</summary>
    public IReadOnlyList<string> Licenses { get; init; } = [];

    /// <summary>The file the package was read from, relative to the image root without a leading slash.</summary>
    public required string Path { get; init; }

    /// <summary>Name of the detector that reported it (<c>dpkg</c>, <c>npm</c>, ...).</summary>
    public required string Detector { get; init; }

    /// <summary>The package URL. Computed once from the fields above.</summary>
    public string Purl => PackageUrl.For(this);

    /// <summary>Identity of the package regardless of where it was found: equal keys are the same package.</summary>
    public string Key => $"{Type}/{Namespace}/{Name}@{Version}?{Arch}";
}
