using System.Globalization;

namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>The fields of one installed package's rpm header that a scanner needs.</summary>
/// <param name="Epoch">Null when the header has no EPOCH tag (rpm prints <c>(none)</c>; it orders like 0).</param>
/// <param name="Arch">Null when absent (gpg-pubkey pseudo-packages have none).</param>
/// <param name="SourceRpm">The SOURCERPM file name, e.g. <c>util-linux-2.32.1-42.el8_8.src.rpm</c>.</param>
/// <param name="Files">Owned paths relative to the root (no leading '/'), from BASENAMES/DIRNAMES/DIRINDEXES.</param>
/// <param name="FileListProblem">Why the file list was dropped, when it was inconsistent.</param>
public sealed record RpmHeader(
    string Name,
    int? Epoch,
    string Version,
    string Release,
    string? Arch,
    string? License,
    string? SourceRpm,
    IReadOnlyList<string> Files,
    string? FileListProblem = null)
{
    /// <summary>
    /// The version as the matcher uses it: <c>VERSION-RELEASE</c>, prefixed with <c>EPOCH:</c> when the epoch is
    /// above 0. rpm orders a missing epoch like 0, and RHEL/Amazon/SUSE advisories write fixed versions the same way
    /// (<c>1:1.1.1k-7.el8</c>), so one string compares against them without a separate epoch field.
    /// </summary>
    public string EpochVersionRelease => FormatVersion(Epoch, Version, Release);

    /// <summary>rpm's pseudo-packages holding imported signing keys: not software.</summary>
    public bool IsGpgPubkey => Name == "gpg-pubkey";

    internal static string FormatVersion(int? epoch, string version, string release) =>
        epoch is > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{epoch}:{version}-{release}")
            : string.Concat(version, "-", release);
}
