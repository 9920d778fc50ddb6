using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Ingest.Infrastructure;
using SupplyChainMesh.Ingest.Timeline;
using SupplyChainMesh.Ingest.Webhooks;

namespace SupplyChainMesh.Ingest.Apis;

/// <summary>An image's way through the pipeline: pushed, scanning n of m, scanned, assessed (counts), promoted or
/// blocked (with the verdicts), and the history that led there.</summary>
public static class ImageStatusApi
{
    public sealed record ScanProgress(int LayersDone, int? LayersTotal, string? FailureReason);

    public sealed record Assessment(Guid ReportId, int Critical, int High, int Medium, int Low, int Negligible, int Unknown, int Kev, int Fixable);

    public sealed record HistoryView(DateTimeOffset At, string Kind, string Summary);

    public sealed record StatusView(string Registry, string Repository, string Digest, string State, IReadOnlyList<string> Tags, ScanProgress Scan,
        Assessment? Assessment, IReadOnlyList<PolicyVerdict> Verdicts, IReadOnlyList<string> PromotedTo, string? PromotionFailure,
        DateTimeOffset UpdatedAt, IReadOnlyList<HistoryView> History);

    public static IEndpointRouteBuilder MapImageStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/images").WithTags("Images").MapGet("/status", GetAsync);
        return app;
    }

    private static async Task<Results<Ok<StatusView>, ProblemHttpResult, ValidationProblem>> GetAsync(
        IngestDbContext db, ScanProgressClient scans, string? repository, string? digest, string? registry, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!RepositoryName.IsValid(repository)) errors["repository"] = ["A repository name is required (e.g. dev/app)."];
        if (!EnvelopeReader.IsDigest(digest)) errors["digest"] = ["A manifest digest is required (sha256:<64 hex>)."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var status = await db.ImageStatuses.AsNoTracking()
            .Where(s => s.Repository == repository && s.Digest == digest && (registry == null || s.Registry == registry))
            .OrderByDescending(s => s.UpdatedAt).FirstOrDefaultAsync(ct);
        if (status is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown image", detail: $"No pipeline events about {repository}@{digest} yet.");

        var history = await db.ImageHistory.AsNoTracking()
            .Where(h => h.Registry == status.Registry && h.Repository == status.Repository && h.Digest == status.Digest)
            .OrderBy(h => h.At).ThenBy(h => h.Id).Take(1000)
            .Select(h => new HistoryView(h.At, h.Kind, h.Summary)).ToListAsync(ct);

        var scan = new ScanProgress(status.LayersDone, status.LayersTotal, status.ScanFailure);
        var state = status.State;
        if (ImageStates.Rank(state) <= ImageStates.Rank(ImageStates.Scanning)
            && await scans.FindAsync(status.Registry, status.Repository, status.Digest, ct) is { } live)
        {
            scan = new ScanProgress(live.LayersDone, live.LayersTotal, live.FailureReason);
            if (live.State == "Scanning") state = ImageStates.Scanning;
        }
        var assessment = status.ReportId is { } report
            ? new Assessment(report, status.Critical ?? 0, status.High ?? 0, status.Medium ?? 0, status.Low ?? 0, status.Negligible ?? 0,
                status.Unknown ?? 0, status.Kev ?? 0, status.Fixable ?? 0)
            : null;
        var verdicts = JsonSerializer.Deserialize<List<PolicyVerdict>>(status.Verdicts, TimelineJson.Options) ?? [];
        return TypedResults.Ok(new StatusView(status.Registry, status.Repository, status.Digest, state, status.Tags, scan, assessment,
            verdicts, status.PromotedTo, status.PromotionFailure, status.UpdatedAt, history));
    }
}
