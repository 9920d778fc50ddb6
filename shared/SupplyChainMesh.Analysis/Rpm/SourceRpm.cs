using System.Diagnostics.CodeAnalysis;

namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>Splits a SOURCERPM file name (<c>NAME-VERSION-RELEASE.src.rpm</c>) into its parts.</summary>
public static class SourceRpm
{
    /// <summary>
    /// The name may hold '-' (<c>util-linux</c>); version and release may not (rpm forbids it), so the last two '-'
    /// separate them.
    /// </summary>
    public static bool TryParse(
        string? fileName,
        [NotNullWhen(true)] out string? name,
        [NotNullWhen(true)] out string? version,
        [NotNullWhen(true)] out string? release)
    {
        name = version = release = null;
        if (string.IsNullOrEmpty(fileName)) return false;
        var span = fileName.AsSpan();
        if (span.EndsWith(".src.rpm", StringComparison.Ordinal)) span = span[..^".src.rpm".Length];
        else if (span.EndsWith(".nosrc.rpm", StringComparison.Ordinal)) span = span[..^".nosrc.rpm".Length];
        else return false;

        var lastDash = span.LastIndexOf('-');
        if (lastDash <= 0 || lastDash == span.Length - 1) return false;
        var secondDash = span[..lastDash].LastIndexOf('-');
        if (secondDash <= 0 || secondDash == lastDash - 1) return false;

        name = span[..secondDash].ToString();
        version = span[(secondDash + 1)..lastDash].ToString();
        release = span[(lastDash + 1)..].ToString();
        return true;
    }
}
