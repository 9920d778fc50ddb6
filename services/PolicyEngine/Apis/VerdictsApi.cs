using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.PolicyEngine.Apis;

/// <summary>The latest verdict of every policy on an image (per tag): GET /api/verdicts?repository=&amp;digest=.</summary>
public static class VerdictsApi
{
    public sealed record VerdictView(Guid PolicyId, string PolicyName, string Registry, string Repository, string Digest, string? Tag,
        string Outcome, string Fingerprint, string? TargetRepository, string? TargetTag, Guid ReportId, DateTimeOffset EvaluatedAt, JsonNode? Verdict);

    public static IEndpointRouteBuilder MapVerdictsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/verdicts", async (PolicyDbContext db, ClaimsPrincipal user, string? repository, string? digest, CancellationToken ct) =>
            (await db.Verdicts.AsNoTracking()
                .Where(v => (repository == null || v.Repository == repository) && (digest == null || v.Digest == digest))
                .WhereReadable(user, v => v.Repository)
                .OrderByDescending(v => v.EvaluatedAt).ThenBy(v => v.PolicyName).Take(500).ToListAsync(ct))
            .Select(v => new VerdictView(v.PolicyId, v.PolicyName, v.Registry, v.Repository, v.Digest, v.Tag.Length == 0 ? null : v.Tag,
                v.Outcome, v.Fingerprint, v.TargetRepository, v.TargetTag, v.ReportId, v.EvaluatedAt, JsonNode.Parse(v.Document))))
            .OnlyReadableRepositories<VerdictView>(v => v.Repository)
            .WithTags("Verdicts");
        return app;
    }
}
