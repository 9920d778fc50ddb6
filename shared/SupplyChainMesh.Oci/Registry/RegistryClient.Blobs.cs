using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using SupplyChainMesh.Oci.IO;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;

namespace SupplyChainMesh.Oci.Registry;

public sealed partial class RegistryClient
{
    /// <summary><c>HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: the blob's size, or null when the repository does not have it.</summary>
    public async Task<long?> GetBlobSizeAsync(string repository, string digest, CancellationToken cancellationToken = default)
    {
        var url = BlobUrl(repository, digest);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, url), [RegistryScope.Pull(repository)], true, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, $"HEAD blob {repository}@{digest}", cancellationToken).ConfigureAwait(false);
        return response.Content.Headers.ContentLength ?? -1;
    }

    public async Task<bool> BlobExistsAsync(string repository, string digest, CancellationToken cancellationToken = default) =>
        await GetBlobSizeAsync(repository, digest, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// Streams a blob (following redirects to blob storage). The stream hashes as it is read and throws
    /// <see cref="DigestMismatchException"/> at its end when the content is not what the descriptor says; a read that
    /// stalls longer than <see cref="RegistryClientOptions.ReadIdleTimeout"/> throws <see cref="RegistryTimeoutException"/>.
    /// </summary>
    public async Task<DigestVerifyingStream> OpenBlobAsync(string repository, BlobDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return await OpenBlobAsync(repository, descriptor.Digest, descriptor.Size, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DigestVerifyingStream> OpenBlobAsync(string repository, string digest, long? size, CancellationToken cancellationToken = default)
    {
        var url = BlobUrl(repository, digest);
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), [RegistryScope.Pull(repository)], true, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, $"GET blob {repository}@{digest}", cancellationToken).ConfigureAwait(false);
            if (size is >= 0 && response.Content.Headers.ContentLength is { } length && length != size)
                throw new DigestMismatchException(digest, null, $"Blob {repository}@{digest} is {length} bytes; its descriptor gives {size}.");
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var idle = _options.ReadIdleTimeout;
            return new DigestVerifyingStream(body, digest, size, response, idle,
                () => new RegistryTimeoutException($"Reading blob {repository}@{digest} from {Registry} stalled for {idle}."));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>POST /v2/&lt;to&gt;/blobs/uploads/?mount=&lt;digest&gt;&amp;from=&lt;from&gt;</c>. Only 201 is a mount; a 202 is an
    /// upload session the registry opened instead (returned for the fallback copy).
    /// </summary>
    public async Task<BlobMountResult> MountBlobAsync(string toRepository, string digest, string fromRepository, CancellationToken cancellationToken = default)
    {
        RepositoryPath(fromRepository);
        var url = Url($"v2/{RepositoryPath(toRepository)}/blobs/uploads/?mount={Uri.EscapeDataString(ValidDigest(digest))}&from={Uri.EscapeDataString(fromRepository)}");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url),
            [RegistryScope.PullPush(toRepository), RegistryScope.Pull(fromRepository)], true, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"mount {fromRepository}@{digest} into {toRepository}", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created) return new BlobMountResult(true, null);
        return new BlobMountResult(false, new BlobUploadSession(toRepository, UploadLocation(response, url)));
    }

    /// <summary><c>POST /v2/&lt;name&gt;/blobs/uploads/</c>: opens an upload session.</summary>
    public async Task<BlobUploadSession> StartUploadAsync(string repository, CancellationToken cancellationToken = default)
    {
        var url = Url($"v2/{RepositoryPath(repository)}/blobs/uploads/");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url), [RegistryScope.PullPush(repository)], true, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"start upload to {repository}", cancellationToken).ConfigureAwait(false);
        return new BlobUploadSession(repository, UploadLocation(response, url));
    }

    /// <summary>Uploads a blob: opens a session and sends the content (see <see cref="UploadAsync"/>).</summary>
    public async Task PushBlobAsync(string repository, string digest, Stream content, long? size, CancellationToken cancellationToken = default)
    {
        var session = await StartUploadAsync(repository, cancellationToken).ConfigureAwait(false);
        await UploadAsync(session, digest, content, size, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a blob into an open session and completes it with <c>PUT ?digest=</c>: one streamed PUT when the size is
    /// known and at most <see cref="RegistryClientOptions.MonolithicUploadLimit"/>, else PATCH chunks of
    /// <see cref="RegistryClientOptions.ChunkSize"/> (only one chunk is in memory at a time).
    /// </summary>
    public async Task UploadAsync(BlobUploadSession session, string digest, Stream content, long? size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(content);
        ValidDigest(digest);
        var scopes = new[] { RegistryScope.PullPush(session.Repository) };
        var location = session.Location;
        if (size is { } known && known <= _options.MonolithicUploadLimit)
        {
            var putUrl = WithQuery(location, "digest", digest);
            using var put = await SendAsync(() =>
            {
                var body = new StreamContent(new LengthLimitedStream(content, known), 81920);
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                body.Headers.ContentLength = known;
                return new HttpRequestMessage(HttpMethod.Put, putUrl) { Content = body };
            }, scopes, false, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(put, $"upload {session.Repository}@{digest}", cancellationToken).ConfigureAwait(false);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(_options.ChunkSize);
        try
        {
            long offset = 0;
            while (true)
            {
                var n = await content.ReadAtLeastAsync(buffer.AsMemory(0, _options.ChunkSize), _options.ChunkSize, false, cancellationToken)
                    .ConfigureAwait(false);
                if (n == 0) break;
                var chunkUrl = location;
                var start = offset;
                var chunkLength = n;
                using var patch = await SendAsync(() =>
                {
                    var body = new ByteArrayContent(buffer, 0, chunkLength);
                    body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    body.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + chunkLength - 1}");
                    return new HttpRequestMessage(HttpMethod.Patch, chunkUrl) { Content = body };
                }, scopes, false, cancellationToken).ConfigureAwait(false);
                await EnsureSuccessAsync(patch, $"upload chunk {start}+{chunkLength} of {session.Repository}@{digest}", cancellationToken).ConfigureAwait(false);
                location = UploadLocation(patch, chunkUrl);
                offset += n;
                if (n < _options.ChunkSize) break;
            }
            var finalUrl = WithQuery(location, "digest", digest);
            using var done = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, finalUrl) { Content = new ByteArrayContent([]) },
                scopes, false, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(done, $"complete upload {session.Repository}@{digest}", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Uri BlobUrl(string repository, string digest) => Url($"v2/{RepositoryPath(repository)}/blobs/{ValidDigest(digest)}");

    private static string ValidDigest(string digest) =>
        ReferenceGrammar.IsValidDigest(digest) ? digest : throw new ArgumentException($"'{digest}' is not a valid digest.", nameof(digest));

    private static Uri UploadLocation(HttpResponseMessage response, Uri request) =>
        response.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(request, location)
            : throw new RegistryException($"The registry answered {(int)response.StatusCode} to {request.AbsolutePath} without a Location.");

    private static Uri WithQuery(Uri uri, string name, string value)
    {
        var builder = new UriBuilder(uri);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : "") + name + "=" + Uri.EscapeDataString(value);
        return builder.Uri;
    }
}
