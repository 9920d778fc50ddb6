using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Matching;

namespace SupplyChainMesh.Cli.Scanning;

/// <summary>What <c>--severity</c> and <c>--ignore-unfixed</c> leave in the report (Trivy semantics: filtered findings
/// are neither printed nor counted for <c>--exit-code</c>).</summary>
internal sealed record FindingFilter(IReadOnlySet<Severity>? Severities, bool IgnoreUnfixed)
{
    public const string SeverityNames = "UNKNOWN,NEGLIGIBLE,LOW,MEDIUM,HIGH,CRITICAL";

    public static FindingFilter All { get; } = new(null, false);

    public bool Reports(Finding finding) =>
        (Severities is null || Severities.Contains(finding.Severity)) && (!IgnoreUnfixed || finding.FixAvailable);

    /// <summary>Parses <c>LOW,MEDIUM,...</c> (case-insensitive; <c>MODERATE</c> = MEDIUM). Null or empty = every severity.</summary>
    public static IReadOnlySet<Severity>? ParseSeverities(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var set = new HashSet<Severity>();
        foreach (var word in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var severity = word.ToUpperInvariant() switch
            {
                "UNKNOWN" => Severity.Unknown,
                "NEGLIGIBLE" => Severity.Negligible,
                "LOW" => Severity.Low,
                "MEDIUM" or "MODERATE" => Severity.Medium,
                "HIGH" => Severity.High,
                "CRITICAL" => Severity.Critical,
                _ => throw new FormatException($"--severity: '{word}' is not one of {SeverityNames}."),
            };
            set.Add(severity);
        }
        return set;
    }

    /// <summary>Matches every package of the inventory and keeps what the filter reports, worst first.</summary>
    public List<ImageFinding> Match(Matcher matcher, ImageInventory inventory)
    {
        var findings = new List<ImageFinding>();
        foreach (var package in inventory.Packages)
        {
            foreach (var finding in matcher.Match(package.Package))
            {
                if (Reports(finding)) findings.Add(new ImageFinding(finding, package));
            }
        }
        findings.Sort(static (a, b) =>
        {
            var c = b.Finding.Severity.CompareTo(a.Finding.Severity);
            if (c == 0) c = string.CompareOrdinal(a.Finding.VulnerabilityId, b.Finding.VulnerabilityId);
            if (c == 0) c = string.CompareOrdinal(a.Package.Package.Name, b.Package.Package.Name);
            return c == 0 ? string.CompareOrdinal(a.Path, b.Path) : c;
        });
        return findings;
    }
}
