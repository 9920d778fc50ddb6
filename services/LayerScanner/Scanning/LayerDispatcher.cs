using MassTransit;
using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>
/// Sends <see cref="ScanLayer"/> for each layer of a resolved image whose findings are not stored yet, and records in
/// the saga which layers are already done. Used when a scan starts and again when a stalled scan re-sends what never
/// came back: a layer stored meanwhile (its <see cref="LayerScanned"/> was lost) counts as done and is not sent again.
/// </summary>
public sealed class LayerDispatcher(ILayerFindingsIndex findings)
{
    public const string ScanLayerQueue = "scan-layer";

    /// <returns>How many layers were sent.</returns>
    public async Task<int> DispatchAsync(ConsumeContext context, ImageScanState saga, ImageIdentity image, ResolvedImage resolved)
    {
        saga.PlatformDigest = resolved.PlatformDigest;
        saga.Platforms = resolved.Platforms?.ToList() ?? [];
        saga.ResolveError = null;
        saga.Layers = resolved.Layers.Select(l => l.Digest).Distinct().ToList();
        saga.AnalyzerVersion = findings.AnalyzerVersion;
        var stored = await findings.StoredAsync(saga.Layers, context.CancellationToken);
        saga.LayersDone = saga.Layers.Where(stored.Contains).ToList();

        var endpoint = await context.GetSendEndpoint(new Uri($"queue:{ScanLayerQueue}"));
        var sent = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var layer in resolved.Layers)
        {
            var position = index++;
            if (stored.Contains(layer.Digest) || !sent.Add(layer.Digest)) continue;
            await endpoint.Send(new ScanLayer
            {
                ScanId = saga.CorrelationId,
                Image = image with { Digest = saga.Digest },
                LayerDigest = layer.Digest,
                MediaType = layer.MediaType,
                Size = layer.Size,
                Index = position,
                LayerCount = saga.Layers.Count,
            }, context.CancellationToken);
        }
        return sent.Count;
    }
}
