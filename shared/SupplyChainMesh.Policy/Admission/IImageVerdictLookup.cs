using SupplyChainMesh.Oci.References;

namespace SupplyChainMesh.Policy.Admission;

/// <summary>
/// Where the admission controller gets verdicts (the service keeps them cached). Returns null when nothing is known
/// about the image: the rule's fail-open/fail-closed setting decides then. A throwing lookup counts as unknown.
/// </summary>
public interface IImageVerdictLookup
{
    ValueTask<ImageVerdict?> FindAsync(ImageReference image, CancellationToken cancellationToken);
}
