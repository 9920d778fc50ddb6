namespace SupplyChainMesh.Analysis.Debian;

/// <summary>
/// One stanza of a dpkg status file, with the fields the scanner needs. <see cref="SourceName"/> and
/// <see cref="SourceVersion"/> are what <c>dpkg-query</c> prints as <c>${source:Package}</c> and <c>${source:Version}</c>:
/// the Source field's name and optional "(version)", defaulting to the binary package's own name and version.
/// </summary>
public sealed record DpkgStatusEntry(
    string Name,
    string Version,
    string? Architecture,
    string SourceName,
    string SourceVersion,
    string? Status)
{
    /// <summary>
    /// Installed when the Status field's last word is "installed" and the selection is "install" or "hold"
    /// (dpkg-query's "ii" and "hi"); distroless status.d stanzas carry no Status and count as installed.
    /// </summary>
    public bool IsInstalled => Status is null || DpkgStatusParser.IsInstalledStatus(Status);
}
