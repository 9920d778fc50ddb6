using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Oci.Copying;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Promoter.Model;

namespace SupplyChainMesh.Promoter.Promotion;

/// <summary>
/// Copies (or moves) the image to its target with <see cref="ImageCopier"/> and answers the saga with
/// <see cref="PromotionAttempted"/>. Registry faults that may pass are retried here with doubling back-off
/// (<c>Promoter:MaxAttempts</c>, <c>Promoter:RetryDelaySeconds</c>); no database transaction or row lock is held
/// meanwhile: the saga committed its Promoting state before sending the command, and ignores duplicates while it waits.
/// Copying again after a crash is harmless: the same bytes land under the same digest.
/// </summary>
public sealed class PromoteImageConsumer(
    RegistryClientPool registries,
    IOptions<PromoterOptions> options,
    TimeProvider time,
    ILogger<PromoteImageConsumer> logger) : IConsumer<PromoteImage>
{
    public const string Queue = "promote-image";

    public async Task Consume(ConsumeContext<PromoteImage> context)
    {
        var command = context.Message;
        var settings = options.Value;
        var delay = TimeSpan.FromSeconds(settings.RetryDelaySeconds);
        string? failure = null;
        string? detail = null;
        string? kept = null;
        int attempts;
        for (attempts = 1; ; attempts++)
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                (var done, kept) = await PromoteAsync(command, context.CancellationToken);
                detail = $"{done}; {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s";
                break;
            }
            catch (Exception ex) when (RegistryFaults.IsRegistryFault(ex))
            {
                var transient = RegistryFaults.IsTransient(ex);
                if (!transient || attempts >= Math.Max(1, settings.MaxAttempts))
                {
                    failure = transient
                        ? $"The registry kept failing after {attempts} attempts: {ex.Message}"
                        : $"The registry refused the promotion: {ex.Message}";
                    break;
                }
                logger.LogWarning("Promotion of {Source} to {Target} failed (attempt {Attempt}), retrying in {Delay}: {Reason}",
                    Source(command), Target(command), attempts, delay, ex.Message);
                await Task.Delay(delay, time, context.CancellationToken);
                delay *= 2;
            }
        }

        await context.Publish(new PromotionAttempted
        {
            PromotionId = command.PromotionId,
            Generation = command.Generation,
            FailureReason = failure,
            Detail = detail,
            SourceTagKept = kept,
            Attempts = attempts,
            FinishedAt = time.GetUtcNow(),
        }, context.CancellationToken);
    }

    /// <returns>What the copy did, and why a move kept its source tag (null when it did not).</returns>
    private async Task<(string Detail, string? SourceTagKept)> PromoteAsync(PromoteImage command, CancellationToken ct)
    {
        var copier = new ImageCopier(registries.For(command.SourceRegistry), registries.For(command.TargetRegistry));
        if (command.Action != PromotionRecord.Move)
        {
            // By digest: the tag may already point elsewhere; the verdict was about this digest.
            var copy = await copier.CopyAsync(command.SourceRepository, command.Digest, command.TargetRepository, command.TargetTag, ct);
            return (Describe(copy), null);
        }

        if (string.IsNullOrEmpty(command.SourceTag))
            throw new ArgumentException("A move needs the source tag, and the image was named by digest only.");
        // A move removes the source tag: only while it still names the digest the policy judged.
        var head = await registries.For(command.SourceRegistry).HeadManifestAsync(command.SourceRepository, command.SourceTag, ct)
            ?? throw new RegistryNotFoundException($"{command.SourceRepository}:{command.SourceTag} no longer exists.");
        if (head.Digest != command.Digest)
            throw new ArgumentException($"{command.SourceRepository}:{command.SourceTag} now points at {head.Digest}, not the judged {command.Digest}; nothing moved.");
        var move = await copier.MoveAsync(command.SourceRepository, command.SourceTag, command.TargetRepository, command.TargetTag, ct);
        return ($"{Describe(move.Copy)}; source tag {(move.SourceTagRemoved ? "removed" : "kept")}: {move.How}",
            move.SourceTagRemoved ? null : move.How);
    }

    private static string Describe(CopyReport copy) =>
        $"{copy.Manifests.Count} manifest(s); blobs mounted {copy.Count(BlobCopyAction.Mounted)}, copied {copy.Count(BlobCopyAction.Copied)}, already there {copy.Count(BlobCopyAction.Skipped)}";

    private static string Source(PromoteImage c) => $"{c.SourceRegistry}/{c.SourceRepository}@{c.Digest}";

    private static string Target(PromoteImage c) => $"{c.TargetRegistry}/{c.TargetRepository}:{c.TargetTag}";
}

public sealed class PromoteImageConsumerDefinition : ConsumerDefinition<PromoteImageConsumer>
{
    // A copy is network-bound: a few at once.
    public PromoteImageConsumerDefinition()
    {
        EndpointName = PromoteImageConsumer.Queue;
        ConcurrentMessageLimit = 8;
    }
}
