using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Gateway.Identity.Access;
using SupplyChainMesh.Gateway.Identity.Authentication;
using SupplyChainMesh.Gateway.Identity.Infrastructure;
using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Apis;

/// <summary><c>/api/users</c>: people and robot accounts (admins only, except <c>GET /api/users/me</c>).</summary>
public static class UsersApi
{
    public sealed record UserView(Guid Id, string Username, bool IsAdmin, bool IsRobot, bool Disabled, bool Locked, IReadOnlyList<string> Teams, DateTimeOffset CreatedAt);

    public sealed record MeView(Guid Id, string Username, bool IsAdmin, bool IsRobot, IReadOnlyList<string> Grants);

    public sealed record CreateUserRequest(string? Username, string? Password, bool IsAdmin, bool IsRobot, List<string>? Teams);

    public sealed record UpdateUserRequest(string? Password, bool? IsAdmin, bool? Disabled);

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/users/me", (ClaimsPrincipal principal) =>
        {
            var c = principal.ToCaller()!;
            return TypedResults.Ok(new MeView(c.UserId, c.Name, c.IsAdmin, c.IsRobot, c.Grants.Select(g => g.ToString()).ToList()));
        }).WithTags("Users").RequireAuthorization();

        var api = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(GatewayPolicies.Admin);
        api.MapGet("/", async (IdentityDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var now = clock.GetUtcNow();
            var users = await db.Users.OrderBy(u => u.Username)
                .Select(u => new { u.Id, u.Username, u.IsAdmin, u.IsRobot, u.Disabled, u.LockedUntil, u.CreatedAt, Teams = u.Memberships.Select(m => m.Team!.Name).ToList() })
                .ToListAsync(ct);
            return TypedResults.Ok(users.Select(u => new UserView(u.Id, u.Username, u.IsAdmin, u.IsRobot, u.Disabled, u.LockedUntil > now, u.Teams, u.CreatedAt)).ToList());
        });
        api.MapPost("/", CreateAsync);
        api.MapPut("/{username}", UpdateAsync);
        api.MapPost("/{username}/unlock", UnlockAsync);
        api.MapDelete("/{username}", DeleteAsync);
        return app;
    }

    private static async Task<Results<Created<UserView>, ValidationProblem, Conflict<string>>> CreateAsync(
        CreateUserRequest request, ClaimsPrincipal principal, IdentityDbContext db, IPasswordHasher<User> hasher, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IsValidUsername(request.Username)) errors["username"] = ["1 to 64 characters: lower-case letters, digits, '.', '_', '-'."];
        if (request.IsRobot && request.Password is not null) errors["password"] = ["Robots sign in with API tokens only."];
        if (!request.IsRobot && request.Password is not { Length: >= 12 and <= 256 }) errors["password"] = ["At least 12 characters."];
        var teams = request.Teams ?? [];
        var found = await db.Teams.Where(t => teams.Contains(t.Name)).ToListAsync(ct);
        if (found.Count != teams.Distinct().Count()) errors["teams"] = ["Unknown team(s): " + string.Join(", ", teams.Except(found.Select(t => t.Name)))];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await db.Users.AnyAsync(u => u.Username == request.Username, ct)) return TypedResults.Conflict($"User '{request.Username}' exists.");

        var user = new User { Username = request.Username!, IsAdmin = request.IsAdmin, IsRobot = request.IsRobot };
        if (request.Password is not null) user.PasswordHash = hasher.HashPassword(user, request.Password);
        db.Users.Add(user);
        foreach (var team in found) db.TeamMembers.Add(new TeamMember { TeamId = team.Id, UserId = user.Id });
        var actor = principal.ToCaller()!.Name;
        db.Record(actor, request.IsRobot ? "robot.created" : "user.created", $"user:{user.Username}",
            $"admin={user.IsAdmin} teams={string.Join(',', teams)}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/users/{user.Username}",
            new UserView(user.Id, user.Username, user.IsAdmin, user.IsRobot, false, false, teams, user.CreatedAt));
    }

    private static async Task<Results<NoContent, NotFound, ValidationProblem>> UpdateAsync(
        string username, UpdateUserRequest request, ClaimsPrincipal principal, IdentityDbContext db, IPasswordHasher<User> hasher, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, ct);
        if (user is null) return TypedResults.NotFound();
        if (request.Password is not null && (user.IsRobot || request.Password.Length is < 12 or > 256))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = ["At least 12 characters; robots have none."] });
        var changes = new List<string>();
        if (request.Password is not null) { user.PasswordHash = hasher.HashPassword(user, request.Password); changes.Add("password"); }
        if (request.IsAdmin is { } admin && admin != user.IsAdmin) { user.IsAdmin = admin; changes.Add($"admin={admin}"); }
        if (request.Disabled is { } disabled && disabled != user.Disabled) { user.Disabled = disabled; changes.Add($"disabled={disabled}"); }
        if (changes.Count > 0)
        {
            db.Record(principal.ToCaller()!.Name, "user.updated", $"user:{username}", string.Join(' ', changes));
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound>> UnlockAsync(string username, ClaimsPrincipal principal, IdentityDbContext db, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, ct);
        if (user is null) return TypedResults.NotFound();
        user.FailedLogins = 0;
        user.LockedUntil = null;
        db.Record(principal.ToCaller()!.Name, "user.unlocked", $"user:{username}");
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound, Conflict<string>>> DeleteAsync(string username, ClaimsPrincipal principal, IdentityDbContext db, CancellationToken ct)
    {
        var caller = principal.ToCaller()!;
        if (username == caller.Name) return TypedResults.Conflict("An admin cannot delete themselves.");
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, ct);
        if (user is null) return TypedResults.NotFound();
        db.Users.Remove(user);
        db.Record(caller.Name, "user.deleted", $"user:{username}");
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    internal static bool IsValidUsername(string? name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');

}
