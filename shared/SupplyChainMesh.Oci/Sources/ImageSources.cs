using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Registry;

namespace SupplyChainMesh.Oci.Sources;

/// <summary>Opens the right <see cref="IImageSource"/> for a reference's transport.</summary>
public static class ImageSources
{
    public static async Task<IImageSource> OpenAsync(ImageReference reference, RegistryClientOptions? registryOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Transport switch
        {
            ImageTransport.Registry => new RegistryImageSource(reference, new RegistryClient(reference.Registry!, registryOptions), ownsClient: true),
            ImageTransport.OciLayout => new OciLayoutImageSource(reference),
            _ => await DockerArchiveImageSource.OpenAsync(reference, cancellationToken).ConfigureAwait(false),
        };
    }
}
