using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.LayerScanner.Infrastructure;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.LayerScanner.Apis;

/// <summary>Scan progress and history: pushed, scanning (n of m layers), complete or failed with the reason.</summary>
public static class ScansApi
{
    public sealed record ScanView(Guid Id, string Registry, string Repository, string Digest, IReadOnlyList<string> Tags, string State,
        int LayersDone, int LayersTotal, string? FailureReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt,
        string? ArtifactType);

    public sealed record LayerView(string Digest, string AnalyzerVersion, bool Succeeded, string? FailureReason, int PackageCount,
        long CompressedBytes, long UncompressedBytes, DateTimeOffset AnalyzedAt, double Seconds);

    public static IEndpointRouteBuilder MapScansApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scans").WithTags("Scans");
        api.MapGet("/", async (ScannerDbContext db, ClaimsPrincipal user, string? repository, string? digest, CancellationToken ct) =>
            (await db.Scans.AsNoTracking()
                .Where(s => (repository == null || s.Repository == repository) && (digest == null || s.Digest == digest))
                .WhereReadable(user, s => s.Repository)
                .OrderByDescending(s => s.UpdatedAt).Take(500).ToListAsync(ct))
            .Select(s => new ScanView(s.CorrelationId, s.Registry, s.Repository, s.Digest, s.Tags, s.CurrentState, s.LayersDone.Count,
                s.Layers.Count, s.FailureReason, s.CreatedAt, s.UpdatedAt, s.CompletedAt, s.ArtifactType)))
            .OnlyReadableRepositories<ScanView>(s => s.Repository);
        api.MapGet("/layers/{digest}", async Task<IResult> (ScannerDbContext db, ClaimsPrincipal user, string digest, CancellationToken ct) =>
        {
            if (!await MayReadLayerAsync(db, user, digest, ct)) return TypedResults.NotFound();
            var found = await db.LayerFindings.AsNoTracking().Where(f => f.Digest == digest)
                .OrderByDescending(f => f.AnalyzedAt).FirstOrDefaultAsync(ct);
            return found is null
                ? TypedResults.NotFound()
                : TypedResults.Ok(new LayerView(found.Digest, found.AnalyzerVersion, found.Succeeded, found.FailureReason, found.PackageCount,
                    found.CompressedBytes, found.UncompressedBytes, found.AnalyzedAt, found.Seconds));
        });
        // The stored LayerAnalysis JSON, as FeedSync assembles an image's inventory from it. Without analyzerVersion: the
        // newest successful analysis of the layer.
        api.MapGet("/layers/{digest}/analysis", async Task<IResult> (ScannerDbContext db, ClaimsPrincipal user, string digest, string? analyzerVersion, CancellationToken ct) =>
        {
            if (!await MayReadLayerAsync(db, user, digest, ct)) return TypedResults.NotFound();
            var found = await db.LayerFindings.AsNoTracking()
                .Where(f => f.Digest == digest && f.Succeeded && f.Json != null && (analyzerVersion == null || f.AnalyzerVersion == analyzerVersion))
                .OrderByDescending(f => f.AnalyzedAt).Select(f => f.Json).FirstOrDefaultAsync(ct);
            return found is null ? TypedResults.NotFound() : TypedResults.Text(found, "application/json");
        });
        return app;
    }

    // A layer is content-addressed and shared between repositories, so it belongs to none: the caller may read it when
    // it may read some repository whose scan holds it. Refused as 404, like a layer never seen, so a digest probe tells
    // a dev/* reader nothing about what qa/* holds.
    private static async Task<bool> MayReadLayerAsync(ScannerDbContext db, ClaimsPrincipal user, string digest, CancellationToken ct) =>
        user.ReadsEverything()
        || await db.Scans.AsNoTracking().Where(s => s.Layers.Contains(digest)).WhereReadable(user, s => s.Repository).AnyAsync(ct);
}
