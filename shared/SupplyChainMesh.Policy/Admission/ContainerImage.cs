namespace SupplyChainMesh.Policy.Admission;

/// <summary>One container's image as written in the object, with where it was found (<c>spec.template.spec.initContainers[0].image</c>).</summary>
public sealed record ContainerImage(ContainerKind Kind, string ContainerName, string Image, string Path)
{
    public string Describe() => Kind switch
    {
        ContainerKind.InitContainer => $"init container '{ContainerName}'",
        ContainerKind.EphemeralContainer => $"ephemeral container '{ContainerName}'",
        _ => $"container '{ContainerName}'",
    };
}
