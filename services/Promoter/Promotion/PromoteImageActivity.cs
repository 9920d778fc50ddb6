using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Oci.Copying;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Promoter.Infrastructure;
using SupplyChainMesh.Promoter.Model;

namespace SupplyChainMesh.Promoter.Promotion;

/// <summary>
/// Copies (or moves) the image to its target with <see cref="ImageCopier"/> and records the promotion in the saga's own
/// transaction, so the record, the state and the outgoing event commit together. Registry faults that may pass are
/// retried here with doubling back-off (<c>Promoter:MaxAttempts</c>, <c>Promoter:RetryDelaySeconds</c>); the saga row
/// stays locked meanwhile, so a duplicate <see cref="PolicySatisfied"/> waits and then finds the promotion finished.
/// Copying again after a crash is harmless: the same bytes land under the same digest.
/// </summary>
public sealed class PromoteImageActivity(
    RegistryClientPool registries,
    PromoterDbContext db,
    IOptions<PromoterOptions> options,
    IOptions<RegistrySettings> registrySettings,
    TimeProvider time,
    ILogger<PromoteImageActivity> logger) : IStateMachineActivity<PromotionState, PolicySatisfied>
{
    public async Task Execute(BehaviorContext<PromotionState, PolicySatisfied> context, IBehavior<PromotionState, PolicySatisfied> next)
    {
        var saga = context.Saga;
        var settings = options.Value;
        var delay = TimeSpan.FromSeconds(settings.RetryDelaySeconds);
        saga.FailureReason = null;
        saga.Detail = null;
        for (saga.Attempts = 1; ; saga.Attempts++)
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                var detail = await PromoteAsync(saga, context.CancellationToken);
                saga.Detail = $"{detail}; {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s";
                break;
            }
            catch (Exception ex) when (RegistryFaults.IsRegistryFault(ex))
            {
                var transient = RegistryFaults.IsTransient(ex);
                if (!transient || saga.Attempts >= Math.Max(1, settings.MaxAttempts))
                {
                    saga.FailureReason = transient
                        ? $"The registry kept failing after {saga.Attempts} attempts: {ex.Message}"
                        : $"The registry refused the promotion: {ex.Message}";
                    break;
                }
                logger.LogWarning("Promotion of {Source} to {Target} failed (attempt {Attempt}), retrying in {Delay}: {Reason}",
                    Source(saga), Target(saga), saga.Attempts, delay, ex.Message);
                await Task.Delay(delay, time, context.CancellationToken);
                delay *= 2;
            }
        }

        var now = time.GetUtcNow();
        saga.UpdatedAt = now;
        saga.CompletedAt = now;
        db.Promotions.Add(new PromotionRecord
        {
            Id = Guid.CreateVersion7(),
            PromotionId = saga.CorrelationId,
            PolicyId = saga.PolicyId,
            PolicyName = saga.PolicyName,
            SourceRegistry = saga.SourceRegistry,
            SourceRepository = saga.SourceRepository,
            SourceTag = saga.SourceTag,
            Digest = saga.Digest,
            TargetRegistry = saga.TargetRegistry,
            TargetRepository = saga.TargetRepository,
            TargetTag = saga.TargetTag,
            Action = saga.Action,
            Outcome = saga.FailureReason is null ? PromotionRecord.Promoted : PromotionRecord.Failed,
            Reason = saga.FailureReason,
            Detail = saga.Detail,
            Attempts = saga.Attempts,
            Actor = string.IsNullOrEmpty(registrySettings.Value.Username) ? settings.Actor : registrySettings.Value.Username,
            At = now,
        });
        if (saga.FailureReason is null)
            logger.LogInformation("Promoted {Source} to {Target} ({Action}, policy {Policy}): {Detail}", Source(saga), Target(saga), saga.Action, saga.PolicyName, saga.Detail);
        else
            logger.LogWarning("Promotion of {Source} to {Target} failed: {Reason}", Source(saga), Target(saga), saga.FailureReason);
        await next.Execute(context);
    }

    private async Task<string> PromoteAsync(PromotionState saga, CancellationToken ct)
    {
        var copier = new ImageCopier(registries.For(saga.SourceRegistry), registries.For(saga.TargetRegistry));
        if (saga.Action != PromotionRecord.Move)
        {
            // By digest: the tag may already point elsewhere; the verdict was about this digest.
            var copy = await copier.CopyAsync(saga.SourceRepository, saga.Digest, saga.TargetRepository, saga.TargetTag, ct);
            return Describe(copy);
        }

        if (string.IsNullOrEmpty(saga.SourceTag))
            throw new ArgumentException("A move needs the source tag, and the image was named by digest only.");
        // A move removes the source tag: only while it still names the digest the policy judged.
        var head = await registries.For(saga.SourceRegistry).HeadManifestAsync(saga.SourceRepository, saga.SourceTag, ct)
            ?? throw new RegistryNotFoundException($"{saga.SourceRepository}:{saga.SourceTag} no longer exists.");
        if (head.Digest != saga.Digest)
            throw new ArgumentException($"{saga.SourceRepository}:{saga.SourceTag} now points at {head.Digest}, not the judged {saga.Digest}; nothing moved.");
        var move = await copier.MoveAsync(saga.SourceRepository, saga.SourceTag, saga.TargetRepository, saga.TargetTag, ct);
        return $"{Describe(move.Copy)}; source tag {(move.SourceTagRemoved ? "removed" : "kept")}: {move.How}";
    }

    private static string Describe(CopyReport copy) =>
        $"{copy.Manifests.Count} manifest(s); blobs mounted {copy.Count(BlobCopyAction.Mounted)}, copied {copy.Count(BlobCopyAction.Copied)}, already there {copy.Count(BlobCopyAction.Skipped)}";

    private static string Source(PromotionState s) => $"{s.SourceRegistry}/{s.SourceRepository}@{s.Digest}";

    private static string Target(PromotionState s) => $"{s.TargetRegistry}/{s.TargetRepository}:{s.TargetTag}";

    public Task Faulted<TException>(BehaviorExceptionContext<PromotionState, PolicySatisfied, TException> context, IBehavior<PromotionState, PolicySatisfied> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("promote-image");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
