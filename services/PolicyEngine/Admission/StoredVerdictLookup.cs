using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.PolicyEngine.Infrastructure;

namespace SupplyChainMesh.PolicyEngine.Admission;

/// <summary>
/// The admission controller's verdicts, from the images this service has evaluated: by digest when the reference has
/// one, else by tag (the digest most recently evaluated under it). Cached in <see cref="VerdictCache"/>, unknown
/// images too, so a burst of pods for one image asks the database once.
/// </summary>
public sealed class StoredVerdictLookup(IServiceScopeFactory scopes, VerdictCache cache) : IImageVerdictLookup
{
    public async ValueTask<ImageVerdict?> FindAsync(ImageReference image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var tag = image.Tag ?? ImageReference.DefaultTag;
        var key = image.Digest is { } d ? $"{image.Name}@{d}" : $"{image.Name}:{tag}";
        if (cache.TryGet(key, out var cached)) return cached;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
        var images = db.Images.AsNoTracking().Where(i => i.Registry == image.Registry && i.Repository == image.Repository);
        var found = image.Digest is { } digest
            ? await images.Where(i => i.Digest == digest).OrderByDescending(i => i.EvaluatedAt).FirstOrDefaultAsync(cancellationToken)
            : await images.Where(i => i.Tag == tag).OrderByDescending(i => i.EvaluatedAt).FirstOrDefaultAsync(cancellationToken);
        var verdict = found?.ToVerdict();
        cache.Set(key, verdict);
        return verdict;
    }
}
