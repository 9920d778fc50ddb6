using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Gateway.Identity.Infrastructure;
using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Apis;

/// <summary><c>GET /api/audit</c>: every identity change and security event, newest first (admins only).</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", async (IdentityDbContext db, string? actor, string? action, string? target, DateTimeOffset? since, int? limit, CancellationToken ct) =>
        {
            IQueryable<AuditEntry> query = db.Audit;
            if (actor is not null) query = query.Where(a => a.Actor == actor);
            if (action is not null) query = query.Where(a => a.Action == action);
            if (target is not null) query = query.Where(a => a.Target == target);
            if (since is not null) query = query.Where(a => a.At >= since);
            return TypedResults.Ok(await query.OrderByDescending(a => a.Id).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct));
        }).WithTags("Audit").RequireAuthorization(GatewayPolicies.Admin);
        return app;
    }
}
