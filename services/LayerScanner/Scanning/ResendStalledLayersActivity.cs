using MassTransit;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>
/// A scan made no progress for the timeout: some <see cref="Contracts.ScanLayer"/> or its answer was lost (a worker
/// killed mid-layer, a message moved to <c>_error</c>, a broker that dropped it). Up to <c>Scanner:LayerResends</c>
/// times (default 2) the layers still missing are resolved again and re-sent; only then does the scan fail, naming the
/// layers. A scan whose manifest could not be read yet (registry down at push time) is resolved again the same way and
/// fails with the registry's error after the same number of re-tries. A re-send is harmless when the first message was merely slow: findings are stored once per layer digest.
/// </summary>
public sealed class ResendStalledLayersActivity(IImageResolver resolver, LayerDispatcher dispatcher, IConfiguration configuration,
    ILogger<ResendStalledLayersActivity> logger) : IStateMachineActivity<ImageScanState, ScanTimedOut>
{
    public async Task Execute(BehaviorContext<ImageScanState, ScanTimedOut> context, IBehavior<ImageScanState, ScanTimedOut> next)
    {
        var saga = context.Saga;
        var timeout = context.Message.Timeout;
        if (saga.Resends >= configuration.GetValue("Scanner:LayerResends", 2))
        {
            saga.FailureReason = saga.ResolveError is { } error
                ? $"The manifest could not be read (tried {saga.Resends + 1} times, {timeout.TotalSeconds:0.#} s apart): {error}"
                : StalledReason(saga, timeout);
            await next.Execute(context);
            return;
        }

        try
        {
            var image = new Contracts.ImageIdentity(saga.Registry, saga.Repository, saga.Tags.FirstOrDefault(), saga.Digest);
            var resolved = await resolver.ResolveAsync(image, context.CancellationToken);
            saga.Resends++;
            saga.UpdatedAt = DateTimeOffset.UtcNow;
            var sent = await dispatcher.DispatchAsync(context, saga, image, resolved);
            logger.LogWarning("Scan {ScanId} of {Image} made no progress for {Timeout}: re-sent {Sent} layers (re-send {Resend})",
                saga.CorrelationId, image, timeout, sent, saga.Resends);
        }
        catch (ImageResolutionException ex)
        {
            saga.FailureReason = ex.Message;
        }
        catch (Exception ex) when (RegistryUnavailable.Is(ex, context.CancellationToken))
        {
            saga.Resends++;
            saga.ResolveError = ex.Message;
            saga.UpdatedAt = DateTimeOffset.UtcNow;
            logger.LogWarning("Scan {ScanId} of {Image}: the manifest still cannot be read (re-try {Resend}): {Reason}",
                saga.CorrelationId, saga.Digest, saga.Resends, ex.Message);
        }
        await next.Execute(context);
    }

    private static string StalledReason(ImageScanState saga, TimeSpan timeout)
    {
        var missing = saga.Layers.Where(l => !saga.LayersDone.Contains(l)).ToList();
        return $"{missing.Count} of {saga.Layers.Count} layers did not come back within {timeout.TotalSeconds:0.#} s " +
            $"(re-sent {saga.Resends} times): {string.Join(", ", missing)}";
    }

    public Task Faulted<TException>(BehaviorExceptionContext<ImageScanState, ScanTimedOut, TException> context, IBehavior<ImageScanState, ScanTimedOut> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("resend-stalled-layers");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
