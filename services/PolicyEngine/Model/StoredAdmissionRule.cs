namespace SupplyChainMesh.PolicyEngine.Model;

/// <summary>An admission rule as stored: the document is the policy library's <c>AdmissionRule</c> JSON, validated before it is saved.</summary>
public sealed class StoredAdmissionRule
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Document { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
}
