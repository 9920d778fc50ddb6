using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Gateway.Identity.Authentication;
using SupplyChainMesh.Gateway.Identity.Infrastructure;
using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Apis;

/// <summary><c>/api/tokens</c>: a caller's API tokens (an admin's also for others, e.g. robots). The secret is in the
/// creation response only; listings show its first characters.</summary>
public static class TokensApi
{
    public sealed record CreateTokenRequest(string? Name, int? ExpiresInDays, string? User);

    public sealed record TokenView(Guid Id, string User, string Name, string Kind, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

    public sealed record CreatedToken(Guid Id, string User, string Name, string Token, string Prefix, DateTimeOffset? ExpiresAt);

    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tokens").WithTags("Tokens").RequireAuthorization();
        api.MapGet("/", ListAsync);
        api.MapPost("/", CreateAsync);
        api.MapDelete("/{id:guid}", RevokeAsync);
        return app;
    }

    private static async Task<Results<Ok<List<TokenView>>, ForbidHttpResult>> ListAsync(ClaimsPrincipal principal, IdentityDbContext db, string? user, CancellationToken ct)
    {
        var caller = principal.ToCaller()!;
        if (user is not null && user != caller.Name && !caller.IsAdmin) return TypedResults.Forbid();
        var name = user ?? caller.Name;
        var tokens = await db.ApiTokens.Where(t => t.User!.Username == name).OrderBy(t => t.CreatedAt)
            .Select(t => new TokenView(t.Id, t.User!.Username, t.Name, t.Kind.ToString(), t.Prefix, t.CreatedAt, t.ExpiresAt, t.RevokedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(tokens);
    }

    private static async Task<Results<Created<CreatedToken>, ValidationProblem, ForbidHttpResult, NotFound>> CreateAsync(
        CreateTokenRequest request, ClaimsPrincipal principal, IdentityDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var caller = principal.ToCaller()!;
        var errors = new Dictionary<string, string[]>();
        if (request.Name is not { Length: > 0 and <= 100 }) errors["name"] = ["A name of 1 to 100 characters is required."];
        if (request.ExpiresInDays is < 1 or > 3650) errors["expiresInDays"] = ["Between 1 and 3650 days, or absent for no expiry."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var ownerName = request.User ?? caller.Name;
        if (ownerName != caller.Name && !caller.IsAdmin) return TypedResults.Forbid();
        var owner = await db.Users.FirstOrDefaultAsync(u => u.Username == ownerName, ct);
        if (owner is null) return TypedResults.NotFound();

        var secret = TokenSecrets.NewSecret();
        var token = new ApiToken
        {
            UserId = owner.Id,
            Name = request.Name!,
            Kind = ApiTokenKind.Api,
            SecretHash = TokenSecrets.Hash(secret),
            Prefix = TokenSecrets.DisplayPrefix(secret),
            ExpiresAt = request.ExpiresInDays is { } days ? clock.GetUtcNow().AddDays(days) : null,
        };
        db.ApiTokens.Add(token);
        db.Record(caller.Name, "token.created", $"user:{owner.Username}", $"{token.Id} '{token.Name}'");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/tokens/{token.Id}", new CreatedToken(token.Id, owner.Username, token.Name, secret, token.Prefix, token.ExpiresAt));
    }

    private static async Task<Results<NoContent, NotFound, ForbidHttpResult>> RevokeAsync(Guid id, ClaimsPrincipal principal, IdentityDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var caller = principal.ToCaller()!;
        var token = await db.ApiTokens.Include(t => t.User).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (token is null) return TypedResults.NotFound();
        if (token.UserId != caller.UserId && !caller.IsAdmin) return TypedResults.Forbid();
        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            db.Record(caller.Name, "token.revoked", $"user:{token.User!.Username}", $"{token.Id} '{token.Name}'");
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }
}
