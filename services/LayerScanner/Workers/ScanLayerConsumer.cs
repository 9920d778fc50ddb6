using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.LayerScanner.Infrastructure;
using SupplyChainMesh.Oci;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.LayerScanner.Workers;

/// <summary>
/// Analyses one layer (competing consumers: run more workers and they share the queue). Findings are stored once per
/// (layer digest, analyzer version). A PostgreSQL advisory lock on the digest makes a second worker asked for a layer
/// that is being scanned wait for that scan and reuse its result instead of downloading the blob again. A corrupt or
/// hostile layer, a digest mismatch or a vanished blob is recorded as a failed analysis with the reason; a registry that
/// keeps timing out is retried and, on the last attempt, reported as failed too, so the scan saga always hears back.
/// </summary>
public sealed class ScanLayerConsumer(
    ScannerDbContext db,
    ImageAnalyzer analyzer,
    RegistryClientPool registries,
    OutboundAllowList allowList,
    ILogger<ScanLayerConsumer> logger) : IConsumer<ScanLayer>
{
    private static readonly Meter Meter = new("SupplyChainMesh.LayerScanner");
    private static readonly Counter<long> Scanned = Meter.CreateCounter<long>("scm.scanner.layers.scanned");
    private static readonly Counter<long> Reused = Meter.CreateCounter<long>("scm.scanner.layers.reused");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("scm.scanner.layers.failed");
    private static readonly Histogram<double> Seconds = Meter.CreateHistogram<double>("scm.scanner.layer.seconds");

    /// <summary>The retry attempt on which transient registry errors stop being retried and become a failed layer.</summary>
    public const int LastTransientAttempt = 4;

    public async Task Consume(ConsumeContext<ScanLayer> context)
    {
        var message = context.Message;
        var version = analyzer.AnalyzerVersion;
        var ct = context.CancellationToken;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({message.LayerDigest + "|" + version}, 0))", ct);

        var stored = await db.LayerFindings.AsNoTracking()
            .SingleOrDefaultAsync(f => f.Digest == message.LayerDigest && f.AnalyzerVersion == version, ct);
        if (stored is { Succeeded: true })
        {
            await transaction.CommitAsync(ct);
            Reused.Add(1);
            await context.Publish(Result(message, version, stored, fromCache: true), ct);
            return;
        }

        var finding = await AnalyseAsync(context, version);
        // A failed earlier analysis (same key) is replaced by this one.
        if (stored is null) db.LayerFindings.Add(finding);
        else db.LayerFindings.Update(finding);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await context.Publish(Result(message, version, finding, fromCache: false), ct);
    }

    private async Task<LayerFinding> AnalyseAsync(ConsumeContext<ScanLayer> context, string version)
    {
        var message = context.Message;
        var started = Stopwatch.GetTimestamp();
        var client = registries.For(message.Image.Registry);
        var descriptor = new BlobDescriptor { MediaType = message.MediaType, Digest = message.LayerDigest, Size = message.Size };
        var source = new LayerSource(message.LayerDigest, message.MediaType, message.Size, async ct =>
        {
            var stream = await client.OpenBlobAsync(message.Image.Repository, descriptor, ct);
            stream.VerifyOnDispose = true; // a tar ends before gzip's trailer: read to the end so the digest is checked
            return stream;
        });
        // SSRF guard: a message names the registry; only hosts on the outbound allow-list are fetched from.
        var failure = allowList.RefusalForRegistry(message.Image.Registry);
        LayerAnalysis? analysis = null;
        try
        {
            if (failure is null) analysis = await analyzer.AnalyzeLayerAsync(source, context.CancellationToken);
        }
        catch (Exception ex) when (ex is LayerAnalysisException or DigestMismatchException or RegistryNotFoundException or RegistryAuthenticationException)
        {
            failure = ex.Message;
        }
        catch (Exception ex) when (ex is RegistryTimeoutException or RegistryException or HttpRequestException or IOException
            && context.GetRetryAttempt() >= LastTransientAttempt)
        {
            failure = $"The registry did not deliver the blob after {LastTransientAttempt + 1} attempts: {ex.Message}";
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Seconds.Record(elapsed);
        if (failure is not null)
        {
            Failed.Add(1);
            logger.LogWarning("Layer {Digest} of {Image} could not be analysed: {Reason}", message.LayerDigest, message.Image, failure);
            return new LayerFinding
            {
                Digest = message.LayerDigest,
                AnalyzerVersion = version,
                Succeeded = false,
                FailureReason = failure,
                AnalyzedAt = DateTimeOffset.UtcNow,
                Seconds = elapsed,
                CompressedBytes = message.Size
            };
        }

        Scanned.Add(1);
        logger.LogInformation("Layer {Digest}: {Packages} packages in {Seconds:F2}s", message.LayerDigest, analysis!.Packages.Count, elapsed);
        return new LayerFinding
        {
            Digest = message.LayerDigest,
            AnalyzerVersion = version,
            Succeeded = true,
            PackageCount = analysis.Packages.Count,
            CompressedBytes = analysis.Stats.CompressedBytes,
            UncompressedBytes = analysis.Stats.UncompressedBytes,
            Json = AnalysisJson.Serialize(analysis),
            AnalyzedAt = DateTimeOffset.UtcNow,
            Seconds = elapsed,
        };
    }

    private static LayerScanned Result(ScanLayer message, string version, LayerFinding finding, bool fromCache) => new()
    {
        ScanId = message.ScanId,
        Image = message.Image,
        LayerDigest = message.LayerDigest,
        Index = message.Index,
        Succeeded = finding.Succeeded,
        FailureReason = finding.FailureReason,
        PackageCount = finding.PackageCount,
        AnalyzerVersion = version,
        FromCache = fromCache,
        LayerCount = message.LayerCount,
    };
}
