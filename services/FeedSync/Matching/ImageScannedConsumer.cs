using MassTransit;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.FeedSync.Matching;

/// <summary>
/// Matches a scanned image: reads each layer's stored analysis from LayerScanner, squashes them into the image's
/// inventory, matches it, stores inventory, findings and report, and publishes <see cref="ImageAssessed"/>. Idempotent:
/// the report id is derived from the image and its layers, so a redelivery (or the same image under a new tag) finds the
/// stored report and publishes it again without matching twice. A failed scan is recorded, not matched.
/// </summary>
public sealed class ImageScannedConsumer(LayerAnalysisClient layers, MatcherHolder holder, ImageReportStore store, ILogger<ImageScannedConsumer> logger)
    : IConsumer<ImageScanned>
{
    public async Task Consume(ConsumeContext<ImageScanned> context)
    {
        var scan = context.Message;
        var ct = context.CancellationToken;
        if (!scan.Succeeded)
        {
            await store.RecordFailureAsync(scan, ct);
            logger.LogInformation("Scan of {Image} failed ({Reason}); recorded, not matched", scan.Image, scan.FailureReason);
            return;
        }

        var imageId = scan.Image.ScanId;
        var scanReportId = DeterministicId.For("vulnerability-report", $"{imageId}:{scan.AnalyzerVersion}:{string.Join(',', scan.Layers)}");
        ReportHeader report;
        if (await store.ReportAsync(scanReportId, ct) is { } existing)
        {
            if (scan.Image.Tag is { } tag) await store.AddTagAsync(imageId, tag, ct);
            // The image may have been re-matched since: its newest report is the one to assess.
            var image = await store.FindImageAsync(imageId, ct);
            report = image?.LatestReportId is { } latest && await store.ReportAsync(latest, ct) is { } newest ? newest : existing;
        }
        else
        {
            // An index of several platforms: each is stacked on its own, the findings are the union.
            var inventory = await IndexInventory.SquashAsync(scan, digest => layers.GetAsync(digest, scan.AnalyzerVersion, ct));
            var matcher = await holder.WhenReadyAsync(ct);
            var findings = new List<OrdinalFinding>();
            for (var i = 0; i < inventory.Packages.Count; i++)
            {
                var p = inventory.Packages[i];
                foreach (var finding in matcher.Match(p.Package)) findings.Add(new OrdinalFinding(i, StoredFinding.From(finding, p.LayerIndex, p.LayerDigest)));
            }
            report = await store.SaveScanAsync(scan, inventory, findings, scanReportId, ct);
            logger.LogInformation("Image {Image}: {Packages} packages, {Findings} findings ({Critical} critical, {High} high, {Kev} KEV)",
                scan.Image, inventory.Packages.Count, findings.Count, report.Counts.Critical, report.Counts.High, report.KevCount);
        }
        await context.Publish(ImageRematcher.Assessed(scan.Image, report, "scan"), ct);
    }
}
