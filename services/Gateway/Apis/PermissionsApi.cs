using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Gateway.Identity.Access;
using SupplyChainMesh.Gateway.Identity.Authentication;
using SupplyChainMesh.Gateway.Identity.Infrastructure;
using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Apis;

/// <summary><c>/api/permissions</c>: a team's level (<c>read</c>, <c>read-write</c>, <c>admin</c>) on a repository or
/// a namespace pattern, and <c>/api/organizations</c>, the namespaces (admins only).</summary>
public static class PermissionsApi
{
    public sealed record PermissionView(Guid Id, string Team, string Repository, AccessLevel Level, DateTimeOffset CreatedAt);

    public sealed record GrantRequest(string? Team, string? Repository, string? Level);

    public sealed record OrganizationRequest(string? Name, string? Description);

    public static IEndpointRouteBuilder MapPermissionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/permissions").WithTags("Permissions").RequireAuthorization(GatewayPolicies.Admin);
        api.MapGet("/", async (IdentityDbContext db, string? team, CancellationToken ct) =>
            TypedResults.Ok(await db.Permissions
                .Join(db.Teams, p => p.TeamId, t => t.Id, (p, t) => new { p, t })
                .Where(x => team == null || x.t.Name == team)
                .OrderBy(x => x.t.Name).ThenBy(x => x.p.RepositoryPattern)
                .Select(x => new PermissionView(x.p.Id, x.t.Name, x.p.RepositoryPattern, x.p.Level, x.p.CreatedAt))
                .ToListAsync(ct)));
        api.MapPost("/", GrantAsync);
        api.MapDelete("/{id:guid}", RevokeAsync);

        var orgs = app.MapGroup("/api/organizations").WithTags("Permissions").RequireAuthorization(GatewayPolicies.Admin);
        orgs.MapGet("/", async (IdentityDbContext db, CancellationToken ct) => TypedResults.Ok(await db.Organizations.OrderBy(o => o.Name).ToListAsync(ct)));
        orgs.MapPost("/", CreateOrganizationAsync);
        return app;
    }

    private static async Task<Results<Created<PermissionView>, ValidationProblem, NotFound<string>, Conflict<string>>> GrantAsync(
        GrantRequest request, ClaimsPrincipal principal, IdentityDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!RepositoryNames.IsValidPattern(request.Repository)) errors["repository"] = ["A repository name, 'NAMESPACE/*' or '*'."];
        if (!AccessLevels.TryParse(request.Level, out var level)) errors["level"] = ["One of read, read-write, admin."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Name == request.Team, ct);
        if (team is null) return TypedResults.NotFound($"No team '{request.Team}'.");
        if (await db.Permissions.AnyAsync(p => p.TeamId == team.Id && p.RepositoryPattern == request.Repository, ct))
            return TypedResults.Conflict($"Team '{team.Name}' already has a permission on '{request.Repository}': delete it first.");
        var permission = new Permission { TeamId = team.Id, RepositoryPattern = request.Repository!, Level = level };
        db.Permissions.Add(permission);
        db.Record(principal.ToCaller()!.Name, "permission.granted", $"team:{team.Name}", new Grant(permission.RepositoryPattern, level).ToString());
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/permissions/{permission.Id}", new PermissionView(permission.Id, team.Name, permission.RepositoryPattern, level, permission.CreatedAt));
    }

    private static async Task<Results<NoContent, NotFound>> RevokeAsync(Guid id, ClaimsPrincipal principal, IdentityDbContext db, CancellationToken ct)
    {
        var found = await db.Permissions.Join(db.Teams, p => p.TeamId, t => t.Id, (p, t) => new { p, TeamName = t.Name })
            .FirstOrDefaultAsync(x => x.p.Id == id, ct);
        if (found is null) return TypedResults.NotFound();
        db.Permissions.Remove(found.p);
        db.Record(principal.ToCaller()!.Name, "permission.revoked", $"team:{found.TeamName}", new Grant(found.p.RepositoryPattern, found.p.Level).ToString());
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<Organization>, ValidationProblem, Conflict<string>>> CreateOrganizationAsync(
        OrganizationRequest request, ClaimsPrincipal principal, IdentityDbContext db, CancellationToken ct)
    {
        if (request.Name is null || request.Name.Contains('/', StringComparison.Ordinal) || !RepositoryNames.IsValid(request.Name))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["A single repository path component, e.g. 'dev'."] });
        if (await db.Organizations.AnyAsync(o => o.Name == request.Name, ct)) return TypedResults.Conflict($"Organization '{request.Name}' exists.");
        var org = new Organization { Name = request.Name, Description = request.Description is { Length: > 1024 } d ? d[..1024] : request.Description };
        db.Organizations.Add(org);
        db.Record(principal.ToCaller()!.Name, "organization.created", $"organization:{org.Name}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/organizations/{org.Name}", org);
    }
}
