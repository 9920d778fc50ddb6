using System.Collections.Concurrent;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Registry;

namespace SupplyChainMesh.Oci.Copying;

/// <summary>
/// Copies an image between repositories, on one registry or across two, without changing its digest: for each blob
/// a HEAD on the target (skip if present), else a cross-repository mount when both sides are the same registry
/// (only 201 counts; a 202 session is used for a streamed copy), else a streamed copy; children of an index are
/// pushed by digest, then the top manifest is PUT by tag with its original bytes.
/// </summary>
public sealed class ImageCopier
{
    private readonly RegistryClient _source;
    private readonly RegistryClient _target;
    private readonly int _parallelism;

    /// <param name="source">Client of the source registry.</param>
    /// <param name="target">Client of the target registry (the same instance for an in-registry copy).</param>
    /// <param name="parallelism">Blobs copied at once.</param>
    public ImageCopier(RegistryClient source, RegistryClient target, int parallelism = 3)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _source = source;
        _target = target;
        _parallelism = parallelism;
    }

    private bool SameRegistry => ReferenceEquals(_source, _target) || _source.BaseAddress == _target.BaseAddress;

    /// <summary>Copies <paramref name="fromRepository"/>:<paramref name="reference"/> to <paramref name="toRepository"/>:<paramref name="toTag"/>.</summary>
    public async Task<CopyReport> CopyAsync(string fromRepository, string reference, string toRepository, string toTag,
        CancellationToken cancellationToken = default)
    {
        if (!ReferenceGrammar.IsValidTag(toTag)) throw new ArgumentException($"'{toTag}' is not a valid tag.", nameof(toTag));
        var root = await _source.GetManifestAsync(fromRepository, reference, cancellationToken).ConfigureAwait(false);
        var blobs = new ConcurrentDictionary<string, BlobCopyResult>(StringComparer.Ordinal);
        var manifests = new List<string>();
        await CopyManifestAsync(fromRepository, toRepository, root, toTag, blobs, manifests, 0, cancellationToken).ConfigureAwait(false);
        return new CopyReport(fromRepository, toRepository, toTag, root.Digest, root.MediaType, manifests, blobs.Values.ToList());
    }

    /// <summary>
    /// Copies, then removes the source tag. The Distribution API deletes manifests by digest, which removes every
    /// tag on that digest; deleting by tag is an optional OCI 1.1 extension. So: try <c>DELETE .../manifests/&lt;tag&gt;</c>;
    /// if the registry refuses, delete by digest only when no other source tag points at the digest; otherwise the
    /// source tag is kept and the report says why.
    /// </summary>
    public async Task<MoveReport> MoveAsync(string fromRepository, string tag, string toRepository, string toTag, CancellationToken cancellationToken = default)
    {
        if (!ReferenceGrammar.IsValidTag(tag)) throw new ArgumentException($"Move needs a source tag, not '{tag}'.", nameof(tag));
        var copy = await CopyAsync(fromRepository, tag, toRepository, toTag, cancellationToken).ConfigureAwait(false);
        if (SameRegistry && fromRepository == toRepository && tag == toTag)
            return new MoveReport(copy, false, "source and target are the same tag; nothing removed");
        try
        {
            await _source.DeleteManifestAsync(fromRepository, tag, cancellationToken).ConfigureAwait(false);
            return new MoveReport(copy, true, "deleted the tag");
        }
        catch (RegistryException ex) when (ex is not RegistryAuthenticationException and not RegistryTimeoutException)
        {
            // Refused (Distribution 2.8 answers 400/405 UNSUPPORTED / DIGEST_INVALID to a tag delete): fall back to the digest.
        }
        var others = new List<string>();
        foreach (var other in await _source.ListTagsAsync(fromRepository, cancellationToken).ConfigureAwait(false))
        {
            if (other == tag) continue;
            var head = await _source.HeadManifestAsync(fromRepository, other, cancellationToken).ConfigureAwait(false);
            if (head?.Digest == copy.Digest) others.Add(other);
        }
        if (others.Count > 0)
            return new MoveReport(copy, false, $"kept: the registry cannot delete a tag alone and {string.Join(", ", others)} also point at {copy.Digest}");
        await _source.DeleteManifestAsync(fromRepository, copy.Digest, cancellationToken).ConfigureAwait(false);
        return new MoveReport(copy, true, "deleted the manifest by digest (no other tag pointed at it)");
    }

    private async Task CopyManifestAsync(string from, string to, ManifestDocument document, string targetReference,
        ConcurrentDictionary<string, BlobCopyResult> blobs, List<string> manifests, int depth, CancellationToken cancellationToken)
    {
        if (depth > 4) throw new ManifestFormatException("Indexes nest deeper than 4 levels.");
        if (document.Index is { } index)
        {
            // A registry checks that an index's children exist, so all of them go first, by digest.
            foreach (var child in index.Manifests)
            {
                if (!MediaTypes.IsManifest(child.MediaType))
                {
                    await CopyBlobsAsync(from, to, [child], blobs, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var childDocument = await _source.GetManifestAsync(from, child.Digest, cancellationToken).ConfigureAwait(false);
                await CopyManifestAsync(from, to, childDocument, child.Digest, blobs, manifests, depth + 1, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            var manifest = document.Manifest!;
            var wanted = new List<BlobDescriptor> { manifest.Config };
            // Foreign (non-distributable) layers live elsewhere (urls); registries do not hold them.
            wanted.AddRange(manifest.Layers.Where(l => l.Urls is not { Count: > 0 }));
            await CopyBlobsAsync(from, to, wanted, blobs, cancellationToken).ConfigureAwait(false);
        }
        var stored = await _target.PutManifestAsync(to, targetReference, document, cancellationToken).ConfigureAwait(false);
        if (stored != document.Digest)
            throw new DigestMismatchException(document.Digest, stored, $"The copied manifest was stored as {stored}, not {document.Digest}.");
        manifests.Add(document.Digest);
    }

    private async Task CopyBlobsAsync(string from, string to, IReadOnlyList<BlobDescriptor> wanted, ConcurrentDictionary<string, BlobCopyResult> done,
        CancellationToken cancellationToken)
    {
        var distinct = wanted.DistinctBy(b => b.Digest).Where(b => !done.ContainsKey(b.Digest)).ToList();
        await Parallel.ForEachAsync(distinct, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
            async (blob, ct) => done[blob.Digest] = await CopyBlobAsync(from, to, blob, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async Task<BlobCopyResult> CopyBlobAsync(string from, string to, BlobDescriptor blob, CancellationToken cancellationToken)
    {
        if (await _target.GetBlobSizeAsync(to, blob.Digest, cancellationToken).ConfigureAwait(false) is not null)
            return new BlobCopyResult(blob.Digest, blob.Size, BlobCopyAction.Skipped);
        BlobUploadSession session;
        if (SameRegistry)
        {
            var mount = await _target.MountBlobAsync(to, blob.Digest, from, cancellationToken).ConfigureAwait(false);
            if (mount.Mounted) return new BlobCopyResult(blob.Digest, blob.Size, BlobCopyAction.Mounted);
            session = mount.Upload!;
        }
        else
        {
            session = await _target.StartUploadAsync(to, cancellationToken).ConfigureAwait(false);
        }
        await using var content = await _source.OpenBlobAsync(from, blob, cancellationToken).ConfigureAwait(false);
        await _target.UploadAsync(session, blob.Digest, content, blob.Size, cancellationToken).ConfigureAwait(false);
        await content.DrainAsync(cancellationToken).ConfigureAwait(false); // reaches the end: the digest is checked
        return new BlobCopyResult(blob.Digest, blob.Size, BlobCopyAction.Copied);
    }
}
