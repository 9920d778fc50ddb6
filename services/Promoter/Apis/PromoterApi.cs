using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Promoter.Infrastructure;

namespace SupplyChainMesh.Promoter.Apis;

/// <summary>The promotion record.</summary>
public static class PromoterApi
{
    public static IEndpointRouteBuilder MapPromoterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/promotions").WithTags("Promotions");
        api.MapGet("/", async (PromoterDbContext db, string? repository, CancellationToken ct) =>
            await db.Promotions.AsNoTracking()
                .Where(p => repository == null || p.SourceRepository == repository || p.TargetRepository == repository)
                .OrderByDescending(p => p.At).Take(500).ToListAsync(ct));
        return app;
    }
}
