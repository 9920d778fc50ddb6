using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.FeedSync.Feeds;
using SupplyChainMesh.FeedSync.Infrastructure;
using SupplyChainMesh.Persistence.Feeds;

namespace SupplyChainMesh.FeedSync.Apis;

/// <summary>Feed status per source (last attempt, last success, records, problems, age of the newest record, stale) and
/// "sync now".</summary>
public static class FeedSyncApi
{
    public sealed record FeedStatus(string Name, string Location, DateTimeOffset? LastAttemptAt, DateTimeOffset? LastSuccessAt, string? LastError,
        int Records, int Malformed, DateTimeOffset? NewestRecordAt, double? NewestRecordAgeHours, bool Stale, TimeSpan StaleAfter,
        IReadOnlyList<StoredFeedProblem> Problems);

    public static IEndpointRouteBuilder MapFeedSyncApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/feeds").WithTags("Feeds");
        api.MapGet("/", async (FeedDbContext db, FeedSourceCatalog catalog, FeedStore store, CancellationToken ct) =>
        {
            var states = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Name, StringComparer.OrdinalIgnoreCase, ct);
            var now = DateTimeOffset.UtcNow;
            var result = new List<FeedStatus>();
            foreach (var source in catalog.All.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                var state = states.GetValueOrDefault(source.Name);
                // Stale: no successful sync within the bound (a feed that cannot be refreshed must be visible to policies).
                var stale = state?.LastSuccessAt is not { } success || now - success > source.StaleAfter;
                result.Add(new FeedStatus(source.Name, source.Url?.ToString() ?? Path.Combine(source.MirrorRoot ?? "", source.Folder ?? ""),
                    state?.LastAttemptAt, state?.LastSuccessAt, state?.LastError, state?.RecordCount ?? 0, state?.MalformedCount ?? 0,
                    state?.NewestRecordAt, state?.NewestRecordAt is { } newest ? Math.Round((now - newest).TotalHours, 1) : null,
                    stale, source.StaleAfter, await store.ProblemsAsync(source.Name, 50, ct)));
            }
            return result;
        });
        api.MapPost("/{source}/sync", IResult (string source, bool? force, FeedScheduler scheduler) =>
            scheduler.Request(source, force ?? false)
                ? TypedResults.Accepted($"/api/feeds", new { source, requested = true })
                : TypedResults.Problem($"No feed source '{source}' is configured.", statusCode: StatusCodes.Status404NotFound));
        return app;
    }
}
