using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Cli.Scanning;

namespace SupplyChainMesh.Cli.Reports;

/// <summary>Counts of reported findings: total, per severity (worst first, every level listed), KEV and fixable.</summary>
internal sealed record FindingSummary(int Total, IReadOnlyList<(Severity Severity, int Count)> BySeverity, int KnownExploited, int Fixable)
{
    public static FindingSummary Of(IReadOnlyList<ImageFinding> findings) => new(
        findings.Count,
        [.. Enum.GetValues<Severity>().Reverse().Select(s => (s, findings.Count(f => f.Finding.Severity == s)))],
        findings.Count(f => f.Finding.KnownExploited),
        findings.Count(f => f.Finding.FixAvailable));

    public override string ToString() =>
        $"Total: {Total} ({string.Join(", ", BySeverity.Select(s => $"{VulnerabilityLinks.Word(s.Severity)}: {s.Count}"))}), known exploited (KEV): {KnownExploited}, fixable: {Fixable}";
}
