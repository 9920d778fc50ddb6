using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.PolicyEngine.Model;

namespace SupplyChainMesh.PolicyEngine.Admission;

/// <summary>
/// The admission controller's verdicts, from the images this service has evaluated. By digest: every tag that digest
/// was evaluated under in the referenced repository counts, so a named policy is satisfied when it was satisfied
/// under any of them (not whichever tag happened to be evaluated last); by tag: the digest most recently evaluated
/// under it. Null means the service has never evaluated the image (not scanned); a database that does not answer
/// within <see cref="AdmissionOptions.StoreTimeout"/> throws, which the controller counts as an unknown verdict.
/// Cached in <see cref="VerdictCache"/>, unknown images too, so a burst of pods for one image asks the database once.
/// </summary>
public sealed class StoredVerdictLookup(IServiceScopeFactory scopes, VerdictCache cache, IOptions<AdmissionOptions> options) : IImageVerdictLookup
{
    public async ValueTask<ImageVerdict?> FindAsync(ImageReference image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var tag = image.Tag ?? ImageReference.DefaultTag;
        var key = image.Digest is { } d ? $"{image.Name}@{d}" : $"{image.Name}:{tag}";
        if (cache.TryGet(key, out var cached)) return cached;

        var limit = options.Value.StoreTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        ImageVerdict? verdict;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
            var images = db.Images.AsNoTracking().Where(i => i.Registry == image.Registry && i.Repository == image.Repository);
            verdict = image.Digest is { } digest
                ? ImageSummary.ToVerdict(await images.Where(i => i.Digest == digest).ToListAsync(timeout.Token))
                : (await images.Where(i => i.Tag == tag).OrderByDescending(i => i.EvaluatedAt).FirstOrDefaultAsync(timeout.Token))?.ToVerdict();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the verdict store did not answer within {limit.TotalSeconds:0.#} s");
        }
        cache.Set(key, verdict);
        return verdict;
    }
}
