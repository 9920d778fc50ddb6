using Microsoft.Extensions.Options;
using SupplyChainMesh.FeedSync.Feeds;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.FeedSync.Matching;

/// <summary>
/// The distinct-packages table only grows as images are scanned; when an image is scanned again with other packages,
/// the packages only its old inventory held stay behind. Every <c>FeedSync:PackageCollectionInterval</c> (an hour)
/// this deletes them in batches (see <see cref="ImageReportStore.CollectUnreferencedPackagesAsync"/> for why that is
/// safe beside scans storing their inventories). Several replicas may collect at once: each skips what another locked.
/// </summary>
public sealed class PackageCollector(ImageReportStore store, IOptions<FeedSyncOptions> options, IServiceScopeFactory scopes, TimeProvider time, ILogger<PackageCollector> logger)
    : PeriodicSweep(scopes, time, logger)
{
    private const int Batch = 10_000;

    protected override TimeSpan Interval => options.Value.PackageCollectionInterval;

    protected override string What => "unreferenced packages";

    protected override async Task SweepAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        int deleted, total = 0;
        do
        {
            deleted = await store.CollectUnreferencedPackagesAsync(Batch, cancellationToken);
            total += deleted;
        }
        while (deleted == Batch);
        if (total > 0) Logger.LogInformation("Deleted {Count} packages no stored inventory holds any more", total);
    }
}
