using SupplyChainMesh.Policy.Assessments;

namespace SupplyChainMesh.Policy.Exceptions;

/// <summary>A finding taken out of the evaluation, with every exception and VEX statement that covers it.</summary>
public sealed record SuppressedFinding(Finding Finding, IReadOnlyList<Suppression> By);
