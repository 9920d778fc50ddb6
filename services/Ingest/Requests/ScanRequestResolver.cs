using Microsoft.Extensions.Options;
using SupplyChainMesh.Ingest.Webhooks;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Ingest.Requests;

/// <summary>
/// Turns "scan this image" (<c>host/repo:tag</c>, <c>host/repo@sha256:...</c>) into the same <see cref="PushNotice"/> a
/// registry notification gives: the tag is resolved to its digest with a manifest HEAD, so the scan is of what the
/// registry holds now. A reference without a host means the mesh's registry (<c>Ingest:DefaultRegistry</c>, else
/// <c>Registry:Url</c>), not Docker Hub: users name images of their own registry.
/// </summary>
public sealed partial class ScanRequestResolver(
    RegistryClientPool registries, IOptions<IngestOptions> ingest, IOptions<RegistrySettings> registry, TimeProvider time,
    OutboundAllowList allowList, ILogger<ScanRequestResolver> logger)
{
    public Task<PushNotice> ResolveAsync(string? text, CancellationToken ct) => ResolveAsync(text, null, ct);

    /// <summary>As <see cref="ResolveAsync(string?, CancellationToken)"/>, refusing with 403 a repository
    /// <paramref name="mayScan"/> says no to, before the registry is asked anything.</summary>
    public async Task<PushNotice> ResolveAsync(string? text, Func<string, bool>? mayScan, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ScanRequestException(StatusCodes.Status400BadRequest, "'reference' is required, e.g. registry:5000/dev/app:latest.");
        text = text.Trim();
        if (text.StartsWith("docker://", StringComparison.Ordinal)) text = text["docker://".Length..];
        if (!NamesHost(text))
        {
            var host = ingest.Value.DefaultRegistry ?? registry.Value.DefaultRegistry
                ?? throw new ScanRequestException(StatusCodes.Status400BadRequest, $"'{text}' does not name a registry and none is configured; write host:port/{text}.");
            text = $"{host}/{text}";
        }

        ImageReference reference;
        try
        {
            reference = ImageReference.Parse("docker://" + text);
        }
        catch (ImageReferenceException ex)
        {
            throw new ScanRequestException(StatusCodes.Status400BadRequest, ex.Message);
        }

        if (mayScan is not null && !mayScan(reference.Repository!))
            throw new ScanRequestException(StatusCodes.Status403Forbidden, $"No read access to '{reference.Repository}'.");

        // SSRF guard: the mesh fetches from the named registry, so only hosts on the outbound allow-list.
        if (allowList.RefusalForRegistry(reference.Registry!) is { } refusal)
        {
            LogRefused(logger, reference.Registry!, refusal);
            throw new ScanRequestException(StatusCodes.Status400BadRequest, refusal);
        }

        BlobDescriptor? manifest;
        try
        {
            manifest = await registries.For(reference.Registry!).HeadManifestAsync(reference.Repository!, reference.ManifestReference, ct);
        }
        catch (RegistryNotFoundException)
        {
            manifest = null;
        }
        catch (RegistryAuthenticationException ex)
        {
            throw new ScanRequestException(StatusCodes.Status502BadGateway, $"The registry {reference.Registry} refused the mesh's credentials: {ex.Message}");
        }
        catch (Exception ex) when (ex is RegistryException or HttpRequestException or IOException)
        {
            throw new ScanRequestException(StatusCodes.Status503ServiceUnavailable, $"The registry {reference.Registry} is unavailable: {ex.Message}");
        }
        if (manifest is null)
            throw new ScanRequestException(StatusCodes.Status404NotFound, $"{reference.Registry}/{reference.Repository}:{reference.ManifestReference} does not exist.");
        if (!ManifestMediaTypes.IsImageManifest(manifest.MediaType))
            throw new ScanRequestException(StatusCodes.Status400BadRequest, $"{text} is a '{manifest.MediaType}', not an image manifest or index.");

        return new PushNotice($"api:{Guid.NewGuid():N}", reference.Registry!, reference.Repository!, reference.Tag ?? "", manifest.Digest,
            manifest.MediaType, time.GetUtcNow(), "api", null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scan request for registry {Registry} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string registry, string reason);

    /// <summary>Docker's rule: the first component names a host when it has a dot or a colon, or is localhost.</summary>
    private static bool NamesHost(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) return false;
        var first = text.AsSpan(0, slash);
        return first.Contains('.') || first.Contains(':') || first.SequenceEqual("localhost");
    }
}

/// <summary>A scan request that cannot be served, with the HTTP status that says why.</summary>
public sealed class ScanRequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
