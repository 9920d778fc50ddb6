namespace SupplyChainMesh.Policy.Vex;

/// <summary>
/// What a VEX statement speaks about: an image (a <c>pkg:oci</c> purl, a manifest digest, a repository) or a package
/// purl; with <see cref="Subcomponents"/> the statement covers only those packages inside the product.
/// </summary>
public sealed record VexProduct(string Id, IReadOnlyList<string> Subcomponents)
{
    public VexProduct(string id) : this(id, [])
    {
    }
}
