using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Oci;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Policy.Vex;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.PolicyEngine.Vex;

/// <summary>
/// VEX documents attached to an image's digest as OCI referrers: the referrers API, or the <c>sha256-&lt;hex&gt;</c>
/// fallback index on registries without it (Distribution 2.8). A referrer counts when its artifact type is OpenVEX or
/// CycloneDX; its layers of those media types are read and parsed. The statements found for a digest are cached
/// (<see cref="ReferrerVexOptions.CacheFor"/>); a registry that fails or is slow costs at most
/// <see cref="ReferrerVexOptions.Timeout"/>, is logged, and the image is evaluated without them (remembered for
/// <see cref="ReferrerVexOptions.FailureCacheFor"/>). A broken document is skipped on its own, the others still count.
/// </summary>
public sealed class ReferrerVexSource(RegistryClientPool registries, OutboundAllowList allowList, IOptions<ReferrerVexOptions> options, TimeProvider time,
    ILogger<ReferrerVexSource> logger)
{
    public const string OpenVexMediaType = "application/vnd.openvex+json";
    public const string CycloneDxMediaType = "application/vnd.cyclonedx+json";

    private readonly ConcurrentDictionary<string, (IReadOnlyList<VexStatement> Statements, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public static bool IsVexType(string? mediaType) => mediaType is OpenVexMediaType or CycloneDxMediaType;

    public async Task<IReadOnlyList<VexStatement>> StatementsAsync(string registry, string repository, string digest, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || registry.Length == 0) return [];
        var key = $"{registry}/{repository}@{digest}";
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Expires > now) return cached.Statements;
        // The registry comes from a push event: only hosts on the outbound allow-list are asked (SSRF guard).
        if (allowList.RefusalForRegistry(registry) is { } refusal)
        {
            logger.LogWarning("VEX referrers of {Image} not read ({Reason}); evaluating without them", key, refusal);
            _cache[key] = ([], now + settings.CacheFor);
            return [];
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            var statements = await FetchAsync(registries.For(registry), repository, digest, settings, timeout.Token);
            _cache[key] = (statements, time.GetUtcNow() + settings.CacheFor);
            return statements;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is OperationCanceledException or RegistryException
                                       or HttpRequestException or IOException or ManifestFormatException or DigestMismatchException or ArgumentException)
        {
            var why = ex is OperationCanceledException ? $"no answer within {settings.Timeout}" : ex.Message;
            logger.LogWarning("VEX referrers of {Image} not read ({Reason}); evaluating without them", key, why);
            _cache[key] = ([], time.GetUtcNow() + settings.FailureCacheFor);
            return [];
        }
    }

    /// <summary>Drops every cached look-up: a VEX document was attached or removed somewhere.</summary>
    public void Clear() => _cache.Clear();

    /// <summary>Drops the cached look-ups of one image (any registry or repository holding <paramref name="digest"/>).</summary>
    public void Forget(string digest)
    {
        foreach (var key in _cache.Keys.Where(k => k.EndsWith("@" + digest, StringComparison.Ordinal))) _cache.TryRemove(key, out _);
    }

    private async Task<IReadOnlyList<VexStatement>> FetchAsync(RegistryClient client, string repository, string digest, ReferrerVexOptions settings,
        CancellationToken ct)
    {
        var referrers = await client.ListReferrersAsync(repository, digest, null, ct);
        List<VexStatement>? statements = null;
        foreach (var referrer in referrers.Where(r => IsVexType(r.ArtifactType)))
        {
            var artifact = await client.GetManifestAsync(repository, referrer.Digest, ct);
            if (artifact.Manifest is not { } manifest) continue;
            // The subject is checked too: the fallback index is an ordinary tag anyone with push rights can overwrite.
            if (manifest.Subject is { } subject && subject.Digest != digest) continue;
            foreach (var layer in manifest.Layers.Where(l => IsVexType(l.MediaType) || l.MediaType == "application/json"))
            {
                if (layer.Size > settings.MaxDocumentBytes)
                {
                    logger.LogWarning("VEX blob {Digest} attached to {Repository}@{Subject} is {Size} bytes, over {Limit}; skipped",
                        layer.Digest, repository, digest, layer.Size, settings.MaxDocumentBytes);
                    continue;
                }
                var text = await ReadAsync(client, repository, layer, ct);
                try
                {
                    (statements ??= []).AddRange(VexDocuments.Parse(text));
                }
                catch (VexFormatException ex)
                {
                    logger.LogWarning("VEX blob {Digest} attached to {Repository}@{Subject} is not a VEX document: {Reason}", layer.Digest, repository, digest, ex.Message);
                }
            }
        }
        return (IReadOnlyList<VexStatement>?)statements ?? [];
    }

    private static async Task<string> ReadAsync(RegistryClient client, string repository, BlobDescriptor layer, CancellationToken ct)
    {
        await using var blob = await client.OpenBlobAsync(repository, layer, ct);
        using var reader = new StreamReader(blob, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct);
    }
}
