using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Gateway.Identity.Authentication;
using SupplyChainMesh.Gateway.Identity.Infrastructure;
using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Apis;

/// <summary><c>/api/teams</c>: teams and their members (admins only); permissions are under <c>/api/permissions</c>.</summary>
public static class TeamsApi
{
    public sealed record TeamView(Guid Id, string Name, string? Description, IReadOnlyList<string> Members, IReadOnlyList<string> Permissions);

    public sealed record CreateTeamRequest(string? Name, string? Description);

    public static IEndpointRouteBuilder MapTeamsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/teams").WithTags("Teams").RequireAuthorization(GatewayPolicies.Admin);
        api.MapGet("/", async (IdentityDbContext db, CancellationToken ct) =>
        {
            var teams = await db.Teams.OrderBy(t => t.Name)
                .Select(t => new
                {
                    t.Id,
                    t.Name,
                    t.Description,
                    Members = t.Members.Select(m => m.User!.Username).ToList(),
                    Permissions = t.Permissions.Select(p => new { p.RepositoryPattern, p.Level }).ToList(),
                })
                .ToListAsync(ct);
            return TypedResults.Ok(teams.Select(t => new TeamView(t.Id, t.Name, t.Description, t.Members,
                t.Permissions.Select(p => new Identity.Access.Grant(p.RepositoryPattern, p.Level).ToString()).ToList())).ToList());
        });
        api.MapPost("/", CreateAsync);
        api.MapDelete("/{name}", DeleteAsync);
        api.MapPut("/{name}/members/{username}", AddMemberAsync);
        api.MapDelete("/{name}/members/{username}", RemoveMemberAsync);
        return app;
    }

    private static async Task<Results<Created<TeamView>, ValidationProblem, Conflict<string>>> CreateAsync(
        CreateTeamRequest request, ClaimsPrincipal principal, IdentityDbContext db, CancellationToken ct)
    {
        if (!UsersApi.IsValidUsername(request.Name))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["1 to 64 characters: lower-case letters, digits, '.', '_', '-'."] });
        if (request.Description is { Length: > 1024 })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["description"] = ["At most 1024 characters."] });
        if (await db.Teams.AnyAsync(t => t.Name == request.Name, ct)) return TypedResults.Conflict($"Team '{request.Name}' exists.");
        var team = new Team { Name = request.Name!, Description = request.Description };
        db.Teams.Add(team);
        db.Record(principal.ToCaller()!.Name, "team.created", $"team:{team.Name}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/teams/{team.Name}", new TeamView(team.Id, team.Name, team.Description, [], []));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(string name, ClaimsPrincipal principal, IdentityDbContext db, CancellationToken ct)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Name == name, ct);
        if (team is null) return TypedResults.NotFound();
        db.Teams.Remove(team);
        db.Record(principal.ToCaller()!.Name, "team.deleted", $"team:{name}");
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound<string>>> AddMemberAsync(string name, string username, ClaimsPrincipal principal, IdentityDbContext db, CancellationToken ct)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Name == name, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, ct);
        if (team is null || user is null) return TypedResults.NotFound(team is null ? $"No team '{name}'." : $"No user '{username}'.");
        if (!await db.TeamMembers.AnyAsync(m => m.TeamId == team.Id && m.UserId == user.Id, ct))
        {
            db.TeamMembers.Add(new TeamMember { TeamId = team.Id, UserId = user.Id });
            db.Record(principal.ToCaller()!.Name, "team.member.added", $"team:{name}", $"user:{username}");
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound>> RemoveMemberAsync(string name, string username, ClaimsPrincipal principal, IdentityDbContext db, CancellationToken ct)
    {
        var member = await db.TeamMembers.FirstOrDefaultAsync(m => m.Team!.Name == name && m.User!.Username == username, ct);
        if (member is null) return TypedResults.NotFound();
        db.TeamMembers.Remove(member);
        db.Record(principal.ToCaller()!.Name, "team.member.removed", $"team:{name}", $"user:{username}");
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
