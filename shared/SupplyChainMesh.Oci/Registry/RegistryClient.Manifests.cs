using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;

namespace SupplyChainMesh.Oci.Registry;

public sealed partial class RegistryClient
{
    private const string ContentDigestHeader = "Docker-Content-Digest";

    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c> with every manifest kind we read in Accept. By digest, the
    /// bytes must hash to it; by tag, to the Docker-Content-Digest header when the registry sends one.
    /// </summary>
    /// <exception cref="RegistryNotFoundException">MANIFEST_UNKNOWN / NAME_UNKNOWN.</exception>
    /// <exception cref="DigestMismatchException">The manifest does not hash to the digest asked for.</exception>
    public async Task<ManifestDocument> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        var url = ManifestUrl(repository, reference);
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Get, url), [RegistryScope.Pull(repository)], true, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"GET manifest {repository}:{reference}", cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > _options.MaxManifestBytes)
            throw new ManifestFormatException($"The manifest {repository}:{reference} is {response.Content.Headers.ContentLength} bytes, over the {_options.MaxManifestBytes} limit.");
        var bytes = await ReadLimitedAsync(response.Content, _options.MaxManifestBytes, cancellationToken).ConfigureAwait(false);

        if (ReferenceGrammar.IsValidDigest(reference))
        {
            var actual = Digests.Compute(reference, bytes);
            if (actual != reference)
                throw new DigestMismatchException(reference, actual, $"The manifest fetched as {repository}@{reference} hashes to {actual}.");
        }
        var document = ManifestDocument.Parse(bytes, response.Content.Headers.ContentType?.MediaType);
        if (!ReferenceGrammar.IsValidDigest(reference) && HeaderDigest(response) is { } advertised
            && advertised.StartsWith("sha256:", StringComparison.Ordinal) && advertised != document.Digest)
            throw new DigestMismatchException(advertised, document.Digest,
                $"The manifest {repository}:{reference} hashes to {document.Digest}, but the registry says {advertised}.");
        return document;
    }

    /// <summary><c>HEAD</c> on a manifest: its descriptor (media type, digest, size), or null when it does not exist.</summary>
    public async Task<BlobDescriptor?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        var url = ManifestUrl(repository, reference);
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Head, url), [RegistryScope.Pull(repository)], true, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, $"HEAD manifest {repository}:{reference}", cancellationToken).ConfigureAwait(false);
        var digest = HeaderDigest(response) ?? (ReferenceGrammar.IsValidDigest(reference) ? reference : null)
            ?? throw new RegistryException($"HEAD manifest {repository}:{reference}: the registry sent no Docker-Content-Digest.");
        return new BlobDescriptor
        {
            MediaType = response.Content.Headers.ContentType?.MediaType ?? "",
            Digest = digest,
            Size = response.Content.Headers.ContentLength ?? -1,
        };
    }

    /// <summary>
    /// <c>PUT</c> a manifest under a tag or its digest, exactly as given (the bytes decide the digest). Returns the digest.
    /// </summary>
    public async Task<string> PutManifestAsync(string repository, string reference, ReadOnlyMemory<byte> manifest, string mediaType,
        CancellationToken cancellationToken = default)
    {
        var url = ManifestUrl(repository, reference);
        var digest = Digests.Sha256(manifest.Span);
        using var response = await SendAsync(() =>
        {
            var content = new ReadOnlyMemoryContent(manifest);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        }, [RegistryScope.PullPush(repository)], true, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"PUT manifest {repository}:{reference}", cancellationToken).ConfigureAwait(false);
        if (HeaderDigest(response) is { } stored && stored.StartsWith("sha256:", StringComparison.Ordinal) && stored != digest)
            throw new DigestMismatchException(digest, stored, $"The registry stored the manifest for {repository}:{reference} as {stored}, not {digest}.");
        return digest;
    }

    /// <summary>Pushes a fetched manifest unchanged.</summary>
    public Task<string> PutManifestAsync(string repository, string reference, ManifestDocument manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return PutManifestAsync(repository, reference, manifest.Bytes, manifest.MediaType, cancellationToken);
    }

    /// <summary>
    /// <c>DELETE /v2/&lt;name&gt;/manifests/&lt;digest&gt;</c>. The Distribution API deletes manifests by digest (which removes every
    /// tag pointing at it); registries that support it also accept a tag, which removes only that tag.
    /// </summary>
    public async Task DeleteManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        var url = ManifestUrl(repository, reference);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, url),
            [RegistryScope.Delete(repository), RegistryScope.PullPush(repository)], true, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"DELETE manifest {repository}:{reference}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /v2/&lt;name&gt;/tags/list</c>, following Link pagination.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken = default) =>
        await ListPagedAsync(Url($"v2/{RepositoryPath(repository)}/tags/list"), "tags", [RegistryScope.Pull(repository)],
            $"GET tags of {repository}", cancellationToken).ConfigureAwait(false);

    /// <summary><c>GET /v2/_catalog</c>, following Link pagination.</summary>
    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(CancellationToken cancellationToken = default) =>
        await ListPagedAsync(Url("v2/_catalog"), "repositories", [RegistryScope.Catalog], "GET catalog", cancellationToken).ConfigureAwait(false);

    private async Task<List<string>> ListPagedAsync(Uri first, string property, IReadOnlyList<string> scopes, string what, CancellationToken cancellationToken)
    {
        var result = new List<string>();
        Uri? next = first;
        for (var page = 0; next is not null && page < 10_000; page++)
        {
            var url = next;
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), scopes, true, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
            var body = await ReadLimitedAsync(response.Content, 16 * 1024 * 1024, cancellationToken).ConfigureAwait(false);
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in items.EnumerateArray())
                    {
                        if (item.GetString() is { } s) result.Add(s);
                    }
                }
            }
            catch (JsonException ex)
            {
                throw new RegistryException($"{what}: invalid JSON: {ex.Message}", ex);
            }
            next = NextLink(response, url);
        }
        return result;
    }

    // Link: </v2/_catalog?last=b&n=100>; rel="next"
    private static Uri? NextLink(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var values)) return null;
        foreach (var value in values)
        {
            var open = value.IndexOf('<', StringComparison.Ordinal);
            var close = value.IndexOf('>', StringComparison.Ordinal);
            if (open < 0 || close < open || !value.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase)) continue;
            var link = value[(open + 1)..close];
            var uri = new Uri(current, link);
            return string.Equals(uri.Host, current.Host, StringComparison.OrdinalIgnoreCase) ? uri : null;
        }
        return null;
    }

    private Uri ManifestUrl(string repository, string reference)
    {
        if (!ReferenceGrammar.IsValidTag(reference) && !ReferenceGrammar.IsValidDigest(reference))
            throw new ArgumentException($"'{reference}' is neither a tag nor a digest.", nameof(reference));
        return Url($"v2/{RepositoryPath(repository)}/manifests/{reference}");
    }

    private static HttpRequestMessage ManifestRequest(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        foreach (var type in MediaTypes.AcceptedManifests) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        return request;
    }

    internal static string? HeaderDigest(HttpResponseMessage response) =>
        response.Headers.TryGetValues(ContentDigestHeader, out var values) ? values.FirstOrDefault() : null;

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > limit) throw new ManifestFormatException($"The document is larger than {limit} bytes.");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
