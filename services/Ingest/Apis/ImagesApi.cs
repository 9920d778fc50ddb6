using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Ingest.Infrastructure;
using SupplyChainMesh.Ingest.Requests;
using SupplyChainMesh.Ingest.Webhooks;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Ingest.Apis;

/// <summary>The catalogue: which tags point to which digest, and the push history.</summary>
public static class ImagesApi
{
    public sealed record TagView(string Registry, string Repository, string Tag, string Digest, DateTimeOffset UpdatedAt);

    public sealed record PushView(string Registry, string Repository, string Tag, string Digest, string Source, string? Actor, DateTimeOffset PushedAt);

    /// <param name="Force">Scan again even if this (repository, digest, tag) was recorded before and its scan did not
    /// fail: a rescan, e.g. after a scanner fix.</param>
    public sealed record ScanRequest(string? Reference, bool Force = false);

    /// <summary>What a scan request started: the image resolved to its digest, and whether it was new (a repeat of an
    /// already recorded (repository, digest, tag) starts nothing unless its scan failed or <c>force</c> is set).</summary>
    public sealed record ScanReceipt(string Registry, string Repository, string? Tag, string Digest, string MediaType, bool Accepted);

    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/images").WithTags("Images");
        api.MapGet("/", async (IngestDbContext db, ClaimsPrincipal user, string? repository, CancellationToken ct) =>
            await db.Tags.AsNoTracking()
                .Where(t => repository == null || t.Repository == repository)
                .WhereReadable(user, t => t.Repository)
                .OrderBy(t => t.Repository).ThenBy(t => t.Tag)
                .Select(t => new TagView(t.Registry, t.Repository, t.Tag, t.Digest, t.UpdatedAt))
                .Take(1000).ToListAsync(ct))
            .OnlyReadableRepositories<TagView>(t => t.Repository);
        api.MapGet("/pushes", async (IngestDbContext db, ClaimsPrincipal user, string? repository, string? digest, CancellationToken ct) =>
            await db.Pushes.AsNoTracking()
                .Where(p => (repository == null || p.Repository == repository) && (digest == null || p.Digest == digest))
                .WhereReadable(user, p => p.Repository)
                .OrderByDescending(p => p.PushedAt)
                .Select(p => new PushView(p.Registry, p.Repository, p.Tag, p.Digest, p.Source, p.Actor, p.PushedAt))
                .Take(1000).ToListAsync(ct))
            .OnlyReadableRepositories<PushView>(p => p.Repository);
        api.MapPost("/scan", ScanAsync);
        return app;
    }

    /// <summary>"Scan this image": resolved and recorded like a registry push (source <c>api</c>), with the same dedupe
    /// and the same 503 when the push cannot be put durably on the broker.</summary>
    private static async Task<Results<Accepted<ScanReceipt>, Ok<ScanReceipt>, ProblemHttpResult>> ScanAsync(
        ScanRequest? request, ScanRequestResolver resolver, PushRecorder recorder, ILogger<ScanRequestResolver> logger, HttpContext http, CancellationToken ct)
    {
        PushNotice push;
        try
        {
            // Issue 7: a forwarded caller needs read (push implies it) on the repository it asks to scan.
            var user = http.User;
            push = await resolver.ResolveAsync(request?.Reference,
                user.Identity?.IsAuthenticated == true ? repository => user.CanAccess(repository, "read") : null, ct);
        }
        catch (ScanRequestException ex)
        {
            return TypedResults.Problem(statusCode: ex.Status, title: "Cannot scan this reference", detail: ex.Message);
        }

        bool accepted;
        try
        {
            accepted = await recorder.RecordAsync(push, request?.Force == true, ct);
        }
        catch (Exception ex) when (RegistryEventsApi.IsUnavailable(ex))
        {
            logger.LogError(ex, "Could not record the scan request for {Repository}@{Digest}", push.Repository, push.Digest);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not recorded",
                detail: "The message broker or the database is unavailable; retry later.");
        }
        var receipt = new ScanReceipt(push.Registry, push.Repository, push.Tag.Length == 0 ? null : push.Tag, push.Digest, push.MediaType, accepted);
        return accepted
            ? TypedResults.Accepted($"/api/images/status?repository={Uri.EscapeDataString(push.Repository)}&digest={Uri.EscapeDataString(push.Digest)}", receipt)
            : TypedResults.Ok(receipt);
    }
}
