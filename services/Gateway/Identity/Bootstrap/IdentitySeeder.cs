using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Gateway.Identity.Access;
using SupplyChainMesh.Gateway.Identity.Authentication;
using SupplyChainMesh.Gateway.Identity.Infrastructure;
using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Identity.Bootstrap;

/// <summary>
/// At start-up (after the migrations), creates what configuration asks for and is missing: the initial admin
/// (<c>Identity:BootstrapAdmin</c>) and the seed organizations, teams, permissions, users and robots. Existing rows are
/// left as they are, so a change made through the API is never undone by a restart.
/// </summary>
public sealed partial class IdentitySeeder(IServiceProvider services, IOptions<IdentityOptions> options, ILogger<IdentitySeeder> logger) : IHostedService
{
    private const string Actor = "bootstrap";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>();
        var o = options.Value;

        if (o.BootstrapAdmin is { Username.Length: > 0, Password.Length: > 0 } admin)
            await EnsureUserAsync(db, hasher, admin.Username, admin.Password, isAdmin: true, cancellationToken);

        foreach (var name in o.Seed.Organizations.Where(n => n.Length > 0))
        {
            if (!await db.Organizations.AnyAsync(x => x.Name == name, cancellationToken))
            {
                db.Organizations.Add(new Organization { Name = name });
                db.Record(Actor, "organization.created", $"organization:{name}");
            }
        }
        await db.SaveChangesAsync(cancellationToken);

        foreach (var seed in o.Seed.Teams.Where(t => t.Name.Length > 0))
        {
            var team = await db.Teams.Include(t => t.Permissions).FirstOrDefaultAsync(t => t.Name == seed.Name, cancellationToken);
            if (team is null)
            {
                team = new Team { Name = seed.Name, Description = seed.Description };
                db.Teams.Add(team);
                db.Record(Actor, "team.created", $"team:{seed.Name}");
                foreach (var text in seed.Permissions)
                {
                    if (!Grant.TryParse(text, out var grant))
                        throw new InvalidOperationException($"Identity:Seed: team '{seed.Name}' has an invalid permission '{text}' (PATTERN=read|read-write|admin).");
                    team.Permissions.Add(new Permission { TeamId = team.Id, RepositoryPattern = grant.Pattern, Level = grant.Level });
                    db.Record(Actor, "permission.granted", $"team:{seed.Name}", grant.ToString());
                }
            }
        }
        await db.SaveChangesAsync(cancellationToken);

        foreach (var seed in o.Seed.Users.Where(u => u.Username.Length > 0))
        {
            var user = await EnsureUserAsync(db, hasher, seed.Username, seed.Password, seed.IsAdmin, cancellationToken);
            await EnsureMembershipsAsync(db, user, seed.Teams, cancellationToken);
        }

        foreach (var seed in o.Seed.Robots.Where(r => r.Name.Length > 0))
        {
            var robot = await db.Users.FirstOrDefaultAsync(u => u.Username == seed.Name, cancellationToken);
            if (robot is null)
            {
                robot = new User { Username = seed.Name, IsRobot = true };
                db.Users.Add(robot);
                db.Record(Actor, "robot.created", $"user:{seed.Name}");
            }
            if (seed.Token.Length > 0)
            {
                if (!TokenSecrets.LooksLikeSecret(seed.Token))
                    throw new InvalidOperationException($"Identity:Seed: robot '{seed.Name}' has a token that is not an scm_ token (make one with `openssl rand 32 | basenc --base64url`).");
                var hash = TokenSecrets.Hash(seed.Token);
                if (!await db.ApiTokens.AnyAsync(t => t.SecretHash == hash, cancellationToken))
                {
                    db.ApiTokens.Add(new ApiToken { UserId = robot.Id, Name = "seed", Kind = ApiTokenKind.Api, SecretHash = hash, Prefix = TokenSecrets.DisplayPrefix(seed.Token) });
                    db.Record(Actor, "token.created", $"user:{seed.Name}", "seed");
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            await EnsureMembershipsAsync(db, robot, seed.Teams, cancellationToken);
        }
        LogSeeded(logger, await db.Users.CountAsync(cancellationToken), await db.Teams.CountAsync(cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<User> EnsureUserAsync(IdentityDbContext db, IPasswordHasher<User> hasher, string username, string password, bool isAdmin, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, ct);
        if (user is not null) return user;
        user = new User { Username = username, IsAdmin = isAdmin };
        if (password.Length > 0) user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        db.Record(Actor, isAdmin ? "admin.created" : "user.created", $"user:{username}");
        await db.SaveChangesAsync(ct);
        return user;
    }

    private static async Task EnsureMembershipsAsync(IdentityDbContext db, User user, List<string> teams, CancellationToken ct)
    {
        foreach (var name in teams)
        {
            var team = await db.Teams.FirstOrDefaultAsync(t => t.Name == name, ct)
                ?? throw new InvalidOperationException($"Identity:Seed: '{user.Username}' is put in team '{name}', which is not seeded.");
            if (!await db.TeamMembers.AnyAsync(m => m.TeamId == team.Id && m.UserId == user.Id, ct))
            {
                db.TeamMembers.Add(new TeamMember { TeamId = team.Id, UserId = user.Id });
                db.Record(Actor, "team.member.added", $"team:{name}", $"user:{user.Username}");
            }
        }
        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Identity seeded: {Users} users and robots, {Teams} teams")]
    private static partial void LogSeeded(ILogger logger, int users, int teams);
}
