using MassTransit;
using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>
/// Resolves the pushed manifest and sends <see cref="ScanLayer"/> for each layer whose findings are not stored yet:
/// a base layer shared by a thousand images is analysed once. Resolution failures that a retry cannot cure (manifest
/// deleted, not an image) fail the scan with the reason; transient ones (registry down) throw and are retried.
/// </summary>
public sealed class DispatchLayersActivity(IImageResolver resolver, ILayerFindingsIndex findings, ILogger<DispatchLayersActivity> logger) :
    IStateMachineActivity<ImageScanState, ImagePushed>
{
    public const string ScanLayerQueue = "scan-layer";

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

        saga.PlatformDigest = resolved.PlatformDigest;
        saga.Layers = resolved.Layers.Select(l => l.Digest).Distinct().ToList();
        saga.AnalyzerVersion = findings.AnalyzerVersion;
        var stored = await findings.StoredAsync(saga.Layers, context.CancellationToken);
        saga.LayersDone = saga.Layers.Where(stored.Contains).ToList();

        var endpoint = await context.GetSendEndpoint(new Uri($"queue:{ScanLayerQueue}"));
        var index = 0;
        foreach (var layer in resolved.Layers)
        {
            var position = index++;
            if (stored.Contains(layer.Digest)) continue;
            await endpoint.Send(new ScanLayer
            {
                ScanId = saga.CorrelationId,
                Image = context.Message.Image with { Digest = saga.Digest },
                LayerDigest = layer.Digest,
                MediaType = layer.MediaType,
                Size = layer.Size,
                Index = position,
            }, context.CancellationToken);
        }
        logger.LogInformation("Scan of {Image}: {Total} layers, {Cached} already analysed", context.Message.Image, saga.Layers.Count, stored.Count);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<ImageScanState, ImagePushed, TException> context, IBehavior<ImageScanState, ImagePushed> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("dispatch-layers");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
