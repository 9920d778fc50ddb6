namespace SupplyChainMesh.Analysis.Alpine;

/// <summary>What <see cref="ApkInstalledParser"/> read from one installed database: the packages and what was skipped.</summary>
public sealed record ApkInstalledDatabase(IReadOnlyList<ApkInstalledPackage> Packages, IReadOnlyList<string> Problems);
