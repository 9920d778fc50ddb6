namespace SupplyChainMesh.Analysis.Alpine;

/// <summary>One record of apk's installed database (<c>lib/apk/db/installed</c>).</summary>
/// <param name="Name">The <c>P:</c> field.</param>
/// <param name="Version">The <c>V:</c> field: the full apk version with its package release, e.g. <c>1.2.3-r0</c>.</param>
/// <param name="Origin">The <c>o:</c> field: the aports source package the binary was built from (what secdb names).</param>
/// <param name="Arch">The <c>A:</c> field.</param>
/// <param name="License">The <c>L:</c> field as written (SPDX expression on current Alpine, free text on old releases).</param>
/// <param name="Files">The files the package owns, <c>F:</c> directory joined with each <c>R:</c> name, relative to the root.</param>
public sealed record ApkInstalledPackage(
    string Name,
    string Version,
    string? Origin,
    string? Arch,
    string? License,
    IReadOnlyList<string> Files);
