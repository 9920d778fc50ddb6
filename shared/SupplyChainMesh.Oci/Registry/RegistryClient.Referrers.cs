using System.Net;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;

namespace SupplyChainMesh.Oci.Registry;

public sealed partial class RegistryClient
{
    /// <summary>
    /// The manifests that name <paramref name="digest"/> as their <c>subject</c> (OCI distribution spec 1.1): the
    /// referrers API <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>, and when the registry does not have it (404, as
    /// Distribution 2.8), the fallback tag scheme — the index tagged <c>sha256-&lt;hex&gt;</c>. With
    /// <paramref name="artifactType"/> only the descriptors of that artifact type are returned (filtered here as well,
    /// since a registry may ignore the filter). Empty when nothing refers to the digest.
    /// </summary>
    public async Task<IReadOnlyList<BlobDescriptor>> ListReferrersAsync(string repository, string digest, string? artifactType = null,
        CancellationToken cancellationToken = default)
    {
        if (!ReferenceGrammar.IsValidDigest(digest)) throw new ArgumentException($"'{digest}' is not a digest.", nameof(digest));
        var query = artifactType is null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType);
        var url = Url($"v2/{RepositoryPath(repository)}/referrers/{digest}{query}");
        IReadOnlyList<BlobDescriptor> found;
        using (var response = await SendAsync(() => ManifestRequest(HttpMethod.Get, url), [RegistryScope.Pull(repository)], true, cancellationToken)
            .ConfigureAwait(false))
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                found = await FallbackReferrersAsync(repository, digest, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await EnsureSuccessAsync(response, $"GET referrers of {repository}@{digest}", cancellationToken).ConfigureAwait(false);
                var bytes = await ReadLimitedAsync(response.Content, _options.MaxManifestBytes, cancellationToken).ConfigureAwait(false);
                found = ManifestDocument.Parse(bytes, MediaTypes.OciIndex).Index?.Manifests
                    ?? throw new ManifestFormatException($"The referrers of {repository}@{digest} are not an image index.");
            }
        }
        return artifactType is null ? found : [.. found.Where(d => string.Equals(d.ArtifactType, artifactType, StringComparison.Ordinal))];
    }

    /// <summary>The fallback tag of a digest's referrers index: <c>&lt;alg&gt;-&lt;hex&gt;</c>, cut to the 128 characters a tag may have.</summary>
    public static string ReferrersTag(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var tag = digest.Replace(':', '-');
        return tag.Length > 128 ? tag[..128] : tag;
    }

    private async Task<IReadOnlyList<BlobDescriptor>> FallbackReferrersAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        ManifestDocument index;
        try
        {
            index = await GetManifestAsync(repository, ReferrersTag(digest), cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryNotFoundException)
        {
            return [];
        }
        return index.Index?.Manifests
            ?? throw new ManifestFormatException($"The referrers tag {ReferrersTag(digest)} of {repository} holds a manifest, not an index.");
    }
}
