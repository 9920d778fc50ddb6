namespace SupplyChainMesh.Policy.Assessments;

/// <summary>One package of the image inventory as the policies see it: its purl, its version and its licences.</summary>
public sealed record AssessedPackage
{
    /// <summary>The package URL with version (and qualifiers), as <c>SupplyChainMesh.Analysis.Packages.Package.Purl</c> writes it.</summary>
    public required string Purl { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary>The purl type (<c>deb</c>, <c>npm</c>, ...); it selects the version scheme for version ranges.</summary>
    public required string Type { get; init; }

    /// <summary>SPDX ids or SPDX expressions (e.g. <c>MIT OR Apache-2.0</c>); empty when the inventory knows none.</summary>
    public IReadOnlyList<string> Licenses { get; init; } = [];
}
