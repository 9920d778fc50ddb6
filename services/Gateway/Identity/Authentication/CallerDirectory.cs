using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Gateway.Identity.Access;
using SupplyChainMesh.Gateway.Identity.Infrastructure;
using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Identity.Authentication;

/// <summary>
/// Turns a presented secret or a user into a <see cref="Caller"/> with its grants. Tokens are looked up by hash (two
/// indexed queries) and kept in the <see cref="CallerCache"/>, which any identity change empties: a revoked token,
/// a disabled user or a removed permission takes effect on the very next request.
/// </summary>
public sealed class CallerDirectory(IdentityDbContext db, CallerCache cache, TimeProvider clock)
{
    private static readonly Func<IdentityDbContext, byte[], IAsyncEnumerable<TokenRow>> TokenByHash =
        EF.CompileAsyncQuery((IdentityDbContext db, byte[] hash) => db.ApiTokens
            .Where(t => t.SecretHash == hash && t.RevokedAt == null)
            .Select(t => new TokenRow(t.Id, t.Kind, t.ExpiresAt, t.UserId, t.User!.Username, t.User.IsAdmin, t.User.IsRobot, t.User.Disabled)));

    private static readonly Func<IdentityDbContext, Guid, IAsyncEnumerable<GrantRow>> GrantsOf =
        EF.CompileAsyncQuery((IdentityDbContext db, Guid userId) => db.Permissions
            .Where(p => db.TeamMembers.Any(m => m.UserId == userId && m.TeamId == p.TeamId))
            .Select(p => new GrantRow(p.RepositoryPattern, p.Level)));

    private sealed record TokenRow(Guid Id, ApiTokenKind Kind, DateTimeOffset? ExpiresAt, Guid UserId, string Username, bool IsAdmin, bool IsRobot, bool Disabled);

    private sealed record GrantRow(string Pattern, AccessLevel Level);

    public sealed record TokenCaller(Caller Caller, Guid TokenId, ApiTokenKind Kind);

    /// <summary>The caller a live token belongs to; null when the secret is unknown, revoked, expired, of the wrong
    /// kind, or its user is disabled.</summary>
    public async Task<TokenCaller?> FindByTokenAsync(string secret, ApiTokenKind? kind, CancellationToken ct)
    {
        if (!TokenSecrets.LooksLikeSecret(secret)) return null;
        var hash = TokenSecrets.Hash(secret);
        var key = Convert.ToBase64String(hash);
        var now = clock.GetUtcNow();
        if (cache.TryGet(key, out var hit, out var hitExpiry))
            return (kind is null || hit!.Kind == kind) && !(hitExpiry <= now) ? hit : null;

        var generation = CallerCache.Generation;
        TokenRow? row = null;
        await foreach (var r in TokenByHash(db, hash).WithCancellation(ct)) row = r;
        if (row is null || row.Disabled) return null;
        var caller = new Caller(row.UserId, row.Username, row.IsAdmin, row.IsRobot, await LoadGrantsAsync(row.UserId, ct));
        var found = new TokenCaller(caller, row.Id, row.Kind);
        cache.Set(key, found, row.ExpiresAt, generation);
        if ((kind is not null && row.Kind != kind) || row.ExpiresAt <= now) return null;
        return found;
    }

    public async Task<Caller> ForUserAsync(User user, CancellationToken ct) =>
        new(user.Id, user.Username, user.IsAdmin, user.IsRobot, await LoadGrantsAsync(user.Id, ct));

    /// <summary>Grants of named teams (an IdP's groups), for callers who have no local user.</summary>
    public async Task<List<Grant>> GrantsOfTeamsAsync(IReadOnlyCollection<string> teams, CancellationToken ct)
    {
        if (teams.Count == 0) return [];
        return await db.Permissions
            .Where(p => db.Teams.Any(t => t.Id == p.TeamId && teams.Contains(t.Name)))
            .Select(p => new Grant(p.RepositoryPattern, p.Level))
            .ToListAsync(ct);
    }

    private async Task<List<Grant>> LoadGrantsAsync(Guid userId, CancellationToken ct)
    {
        var grants = new List<Grant>();
        await foreach (var g in GrantsOf(db, userId).WithCancellation(ct)) grants.Add(new Grant(g.Pattern, g.Level));
        return grants;
    }
}
