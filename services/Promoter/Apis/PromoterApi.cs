using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Promoter.Infrastructure;
using SupplyChainMesh.Promoter.Model;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Promoter.Apis;

/// <summary>The promotion record: every promotion that ended, newest first.</summary>
public static class PromoterApi
{
    public static IEndpointRouteBuilder MapPromoterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/promotions").WithTags("Promotions");
        api.MapGet("/", async (PromoterDbContext db, ClaimsPrincipal user, string? repository, string? digest, CancellationToken ct) =>
            await db.Promotions.AsNoTracking()
                .Where(p => repository == null || p.SourceRepository == repository || p.TargetRepository == repository)
                .Where(p => digest == null || p.Digest == digest)
                .WhereReadable(user, p => p.SourceRepository, p => p.TargetRepository)
                .OrderByDescending(p => p.At).Take(500).ToListAsync(ct))
            .OnlyReadableRepositories<PromotionRecord>(p => p.SourceRepository, p => p.TargetRepository);
        return app;
    }
}
