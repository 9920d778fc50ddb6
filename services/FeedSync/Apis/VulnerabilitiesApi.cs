using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.FeedSync.Infrastructure;
using SupplyChainMesh.FeedSync.Matching;
using SupplyChainMesh.Persistence.Feeds;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Serialization;

namespace SupplyChainMesh.FeedSync.Apis;

/// <summary>Vulnerability reports of images (findings per package and layer), their policy assessment, and advisories.</summary>
public static class VulnerabilitiesApi
{
    public sealed record ImageReportView(StoredImage Image, ReportHeader? Report);

    public sealed record ReportView(ReportHeader Report, StoredImage Image, bool Current, IReadOnlyList<StoredFinding> Findings);

    public static IEndpointRouteBuilder MapVulnerabilitiesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/vulnerabilities").WithTags("Vulnerabilities");
        api.MapGet("/images", async Task<IResult> (string? repository, string? digest, ImageReportStore store, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(repository) && string.IsNullOrWhiteSpace(digest))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["repository"] = ["Give repository, digest or both."] });
            var images = await store.FindImagesAsync(repository, digest, ct);
            var views = new List<ImageReportView>();
            foreach (var image in images)
                views.Add(new ImageReportView(image, image.LatestReportId is { } id ? await store.ReportAsync(id, ct) : null));
            return views.Count == 0 ? TypedResults.NotFound() : TypedResults.Ok(views);
        });
        api.MapGet("/reports/{reportId:guid}", async Task<IResult> (Guid reportId, ImageReportStore store, CancellationToken ct) =>
        {
            if (await store.ReportAsync(reportId, ct) is not { } report || await store.FindImageAsync(report.ImageId, ct) is not { } image)
                return TypedResults.NotFound();
            // Findings are kept for the image's newest report; an older report keeps its counts and ids only.
            var current = image.LatestReportId == reportId;
            var findings = current ? (await store.FindingsAsync(image.ImageId, ct)).Select(f => f.Finding).ToList() : [];
            return TypedResults.Json(new ReportView(report, image, current, findings), ImageReportStore.Json);
        });
        api.MapGet("/reports/{reportId:guid}/assessment", async Task<IResult> (Guid reportId, ImageReportStore store, FeedDbContext db, CancellationToken ct) =>
        {
            if (await store.ReportAsync(reportId, ct) is not { } report || await store.FindImageAsync(report.ImageId, ct) is not { } image)
                return TypedResults.NotFound();
            var packages = await store.PackagesAsync(image.ImageId, ct);
            var findings = await store.FindingsAsync(image.ImageId, ct);
            var feeds = await db.Sources.AsNoTracking().Where(s => s.LastSuccessAt != null).OrderBy(s => s.Name).ToListAsync(ct);
            var assessment = new ImageAssessment
            {
                Registry = image.Registry,
                Repository = image.Repository,
                Tag = image.FirstTag,
                ManifestDigest = image.Digest,
                Feeds = [.. feeds.Select(f => new FeedState(f.Name, f.NewestRecordAt ?? f.LastSuccessAt!.Value))],
                Packages = [.. packages.Select(p => new AssessedPackage
                {
                    Purl = p.Package.Purl,
                    Name = p.Package.Name,
                    Version = p.Package.Version,
                    Type = p.Package.Type,
                    Licenses = p.Package.Licenses,
                })],
                Findings = [.. findings.Select(f => f.Finding.ToPolicyFinding())],
            };
            return TypedResults.Text(PolicyJson.Serialize(assessment), "application/json");
        });
        api.MapGet("/advisories/{id}", async Task<IResult> (string id, FeedStore store, CancellationToken ct) =>
        {
            var found = await store.FindAsync(id, ct);
            if (found.Count == 0) return TypedResults.NotFound();
            return TypedResults.Ok(found.Select(a => new
            {
                a.Source,
                a.Feed,
                a.Id,
                a.Withdrawn,
                a.ImportedAt,
                Record = JsonDocument.Parse(a.RecordJson).RootElement,
            }));
        });
        return app;
    }
}
