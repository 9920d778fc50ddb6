using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Registry;

namespace SupplyChainMesh.Oci.Sources;

/// <summary>An image in a registry (<c>docker://</c>).</summary>
public sealed class RegistryImageSource : IImageSource
{
    private readonly RegistryClient _client;
    private readonly bool _ownsClient;

    public RegistryImageSource(ImageReference reference, RegistryClient client, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(client);
        if (reference.Transport != ImageTransport.Registry) throw new ArgumentException($"'{reference}' is not a registry reference.", nameof(reference));
        Reference = reference;
        _client = client;
        _ownsClient = ownsClient;
    }

    public ImageReference Reference { get; }

    public RegistryClient Client => _client;

    public Task<ManifestDocument> GetManifestAsync(CancellationToken cancellationToken = default) =>
        _client.GetManifestAsync(Reference.Repository!, Reference.ManifestReference, cancellationToken);

    public Task<ManifestDocument> GetManifestAsync(BlobDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return _client.GetManifestAsync(Reference.Repository!, descriptor.Digest, cancellationToken);
    }

    public async ValueTask<Stream> OpenBlobAsync(BlobDescriptor descriptor, CancellationToken cancellationToken = default) =>
        await _client.OpenBlobAsync(Reference.Repository!, descriptor, cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync()
    {
        if (_ownsClient) _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
