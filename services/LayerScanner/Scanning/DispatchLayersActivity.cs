using MassTransit;
using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>
/// Resolves the pushed manifest and sends <see cref="ScanLayer"/> for each layer whose findings are not stored yet:
/// a base layer shared by a thousand images is analysed once. Resolution failures that a retry cannot cure (manifest
/// deleted, not an image) fail the scan with the reason; transient ones (registry down) throw and are retried.
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

        var sent = await dispatcher.DispatchAsync(context, saga, context.Message.Image, resolved);
        logger.LogInformation("Scan of {Image}: {Total} layers, {Sent} sent for analysis", context.Message.Image, saga.Layers.Count, sent);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<ImageScanState, ImagePushed, TException> context, IBehavior<ImageScanState, ImagePushed> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("dispatch-layers");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
