namespace SupplyChainMesh.Policy.Vex;

/// <summary>
/// One VEX statement, whatever document it came from: a vulnerability, the products it is about, a status and why.
/// </summary>
public sealed record VexStatement
{
    public required string VulnerabilityId { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public IReadOnlyList<VexProduct> Products { get; init; } = [];

    public VexStatus Status { get; init; }

    /// <summary>The machine-readable justification (<c>vulnerable_code_not_in_execute_path</c>, <c>code_not_reachable</c>, ...).</summary>
    public string? Justification { get; init; }

    /// <summary>The free-text explanation (OpenVEX impact_statement, CycloneDX analysis.detail).</summary>
    public string? ImpactStatement { get; init; }

    public string? ActionStatement { get; init; }

    /// <summary>When the statement was made; a later statement about the same vulnerability and product supersedes an earlier one.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The document it came from (OpenVEX @id, CycloneDX serialNumber), for display.</summary>
    public string? DocumentId { get; init; }

    public string? Author { get; init; }

    /// <summary>True for the statuses that take a finding out of the evaluation.</summary>
    public bool Suppresses => Status is VexStatus.NotAffected or VexStatus.Fixed;

    public bool Names(string id)
    {
        if (string.Equals(VulnerabilityId, id, StringComparison.OrdinalIgnoreCase)) return true;
        foreach (var alias in Aliases)
            if (string.Equals(alias, id, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
