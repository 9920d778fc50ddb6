using System.Security.Claims;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Policy.Exceptions;
using SupplyChainMesh.Policy.Serialization;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.PolicyEngine.Model;
using SupplyChainMesh.PolicyEngine.Reevaluation;

namespace SupplyChainMesh.PolicyEngine.Apis;

/// <summary>
/// Vulnerability exceptions (waivers): global, per repository pattern or per image digest; a vulnerability id, an
/// optional package, a reason, who, an expiry. An expired exception stops applying by itself (the evaluation reads
/// only active ones); the list shows it with <c>active: false</c> until someone deletes it.
/// </summary>
public static class ExceptionsApi
{
    public sealed record ExceptionView(Guid Id, ExceptionScope Scope, string? Target, string VulnerabilityId, string? PackagePurl,
        string Reason, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, bool Active);

    public static IEndpointRouteBuilder MapExceptionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/exceptions").WithTags("Exceptions");
        api.MapGet("/", async (PolicyDbContext db, TimeProvider time, string? vulnerabilityId, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            return (await db.Exceptions.AsNoTracking().Where(e => vulnerabilityId == null || e.VulnerabilityId == vulnerabilityId)
                .OrderByDescending(e => e.CreatedAt).ToListAsync(ct)).Select(e => View(e, now));
        });
        api.MapGet("/{id:guid}", async (PolicyDbContext db, TimeProvider time, Guid id, CancellationToken ct) =>
            await db.Exceptions.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) is { } e
                ? Results.Ok(View(e, time.GetUtcNow()))
                : ApiRequests.NotFound($"Exception {id}"));
        api.MapPost("/", CreateAsync);
        api.MapDelete("/{id:guid}", async (PolicyDbContext db, IPublishEndpoint bus, TimeProvider time, ClaimsPrincipal user, Guid id, CancellationToken ct) =>
        {
            var stored = await db.Exceptions.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
            if (stored is null) return ApiRequests.NotFound($"Exception {id}");
            // Deleting a waiver needs the same rights as creating it (issue 7).
            if (await WaiverAccess.ExceptionRefusalAsync(user, db, stored.Scope, stored.Target, ct) is { } refused) return refused;
            if (await db.Exceptions.Where(e => e.Id == id).ExecuteDeleteAsync(ct) == 0) return ApiRequests.NotFound($"Exception {id}");
            await bus.Publish(PolicyChanges.Exception(stored, "deleted", time.GetUtcNow()), ct);
            return Results.NoContent();
        });
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, PolicyDbContext db, IPublishEndpoint bus, TimeProvider time, CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadObjectAsync(request, ct);
        if (body is null) return problem!;
        // Who accepts the risk: the authenticated caller (the gateway forwards it), whatever the body claims, so the
        // record cannot name someone else; the body's createdBy only when no identity is configured (local runs, tests).
        if (request.HttpContext.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } user }) body["createdBy"] = user;
        VulnerabilityException exception;
        try
        {
            exception = PolicyJson.Deserialize<VulnerabilityException>(ApiRequests.WithoutMetadata(body, "id", "createdAt", "active").ToJsonString(), "exception");
        }
        catch (PolicyJsonException ex)
        {
            return ApiRequests.Invalid(ex.Field.Length == 0 ? "$" : ex.Field, ex.Message);
        }
        var now = time.GetUtcNow();
        var errors = ExceptionValidator.Validate(exception, now);
        if (!errors.IsValid) return ApiRequests.Invalid(errors.ToDictionary());
        if (await WaiverAccess.ExceptionRefusalAsync(request.HttpContext.User, db, exception.Scope, exception.Target, ct) is { } refused) return refused;
        var stored = new StoredException
        {
            Id = Guid.CreateVersion7(),
            Scope = exception.Scope,
            Target = exception.Target,
            VulnerabilityId = exception.VulnerabilityId,
            PackagePurl = exception.PackagePurl,
            Reason = exception.Reason,
            CreatedBy = exception.CreatedBy,
            CreatedAt = now,
            ExpiresAt = exception.ExpiresAt,
        };
        db.Exceptions.Add(stored);
        await db.SaveChangesAsync(ct);
        await bus.Publish(PolicyChanges.Exception(stored, "created", now), ct);
        return Results.Created($"/api/exceptions/{stored.Id}", View(stored, now));
    }

    private static ExceptionView View(StoredException e, DateTimeOffset now) =>
        new(e.Id, e.Scope, e.Target, e.VulnerabilityId, e.PackagePurl, e.Reason, e.CreatedBy, e.CreatedAt, e.ExpiresAt, e.ToException().IsActive(now));
}
