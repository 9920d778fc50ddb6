using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.PolicyEngine.Infrastructure;

namespace SupplyChainMesh.PolicyEngine.Apis;

/// <summary>Promotion policies (read side; writes, dry runs and admission arrive with the policy library).</summary>
public static class PolicyEngineApi
{
    public static IEndpointRouteBuilder MapPolicyEngineApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/policies").WithTags("Policies");
        api.MapGet("/", async (PolicyDbContext db, CancellationToken ct) =>
            await db.Policies.AsNoTracking().OrderBy(p => p.SourcePattern).ThenBy(p => p.Order).ToListAsync(ct));
        return app;
    }
}
