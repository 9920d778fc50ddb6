using MassTransit;
using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>
/// Resolves the pushed manifest and sends <see cref="ScanLayer"/> for each layer whose findings are not stored yet:
/// a base layer shared by a thousand images is analysed once. Resolution failures that a retry cannot cure (manifest
/// deleted, not an image) fail the scan with the reason; transient ones (registry down) leave it waiting in Scanning
/// with <see cref="ImageScanState.ResolveError"/> set, and the stall sweep resolves it again. An OCI
/// artifact (VEX, signature, SBOM) is not scanned: <see cref="ArtifactPushed"/> says what it is and what it is attached to.
/// </summary>
public sealed class DispatchLayersActivity(IImageResolver resolver, LayerDispatcher dispatcher, ILogger<DispatchLayersActivity> logger) :
    IStateMachineActivity<ImageScanState, ImagePushed>
{
    public async Task Execute(BehaviorContext<ImageScanState, ImagePushed> context, IBehavior<ImageScanState, ImagePushed> next)
    {
        var saga = context.Saga;
        ResolvedImage resolved;
        try
        {
            resolved = await resolver.ResolveAsync(context.Message.Image, context.CancellationToken);
        }
        catch (ImageResolutionException ex)
        {
            logger.LogWarning("Scan of {Image} failed: {Reason}", context.Message.Image, ex.Message);
            saga.FailureReason = ex.Message;
            await next.Execute(context);
            return;
        }
        catch (Exception ex) when (RegistryUnavailable.Is(ex, context.CancellationToken))
        {
            // Keep the push: the scan waits in Scanning with no layers and the stall sweep resolves it again
            // (ResendStalledLayersActivity), failing it with this reason only after the configured re-sends.
            logger.LogWarning("The manifest of {Image} could not be read, resolving again later: {Reason}", context.Message.Image, ex.Message);
            saga.ResolveError = ex.Message;
            saga.Layers = [];
            saga.LayersDone = [];
            saga.Platforms = [];
            saga.UpdatedAt = DateTimeOffset.UtcNow;
            await next.Execute(context);
            return;
        }

        if (resolved.ArtifactType is { } artifactType)
        {
            // A VEX document, signature or SBOM: nothing to scan. Say so, so the image it is attached to can be judged again.
            saga.ArtifactType = artifactType;
            saga.PlatformDigest = resolved.PlatformDigest;
            logger.LogInformation("{Image} is an OCI artifact ({ArtifactType}), not an image: not scanned", context.Message.Image, artifactType);
            await context.Publish(new ArtifactPushed
            {
                Artifact = context.Message.Image,
                ArtifactType = artifactType,
                SubjectDigest = resolved.SubjectDigest,
            }, context.CancellationToken);
            await next.Execute(context);
            return;
        }

        var sent = await dispatcher.DispatchAsync(context, saga, context.Message.Image, resolved);
        logger.LogInformation("Scan of {Image}: {Total} layers, {Sent} sent for analysis", context.Message.Image, saga.Layers.Count, sent);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<ImageScanState, ImagePushed, TException> context, IBehavior<ImageScanState, ImagePushed> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("dispatch-layers");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
