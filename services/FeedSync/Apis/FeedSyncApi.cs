using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.FeedSync.Infrastructure;

namespace SupplyChainMesh.FeedSync.Apis;

/// <summary>Feed status per source: last attempt, last success, record counts, age of the newest record.</summary>
public static class FeedSyncApi
{
    public static IEndpointRouteBuilder MapFeedSyncApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/feeds").WithTags("Feeds");
        api.MapGet("/", async (FeedDbContext db, CancellationToken ct) =>
            await db.Sources.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct));
        return app;
    }
}
