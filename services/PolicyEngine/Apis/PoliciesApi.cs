using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using SupplyChainMesh.Persistence.Sagas;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.Policy.Serialization;
using SupplyChainMesh.PolicyEngine.Evaluation;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.PolicyEngine.Model;
using SupplyChainMesh.PolicyEngine.Reevaluation;

namespace SupplyChainMesh.PolicyEngine.Apis;

/// <summary>
/// Promotion policies: list, read, create, update (optimistic: If-Match or the body's version), delete. A policy is the
/// library's policy JSON; bad input is a 400 whose <c>errors</c> name the field (<c>criteria[1].value</c>,
/// <c>action.tagTemplate</c>); a name already taken is a 409.
/// </summary>
public static class PoliciesApi
{
    private static readonly string[] Metadata = ["id", "version", "createdAt", "updatedAt", "updatedBy"];

    public static IEndpointRouteBuilder MapPoliciesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/policies").WithTags("Policies");
        api.MapGet("/", async (PolicyDbContext db, CancellationToken ct) =>
            (await db.Policies.AsNoTracking().OrderBy(p => p.Order).ThenBy(p => p.Id).ToListAsync(ct)).Select(View));
        api.MapGet("/{id:guid}", async (PolicyDbContext db, Guid id, HttpResponse response, CancellationToken ct) =>
        {
            if (await db.Policies.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) is not { } stored)
                return ApiRequests.NotFound($"Policy {id}");
            response.Headers[HeaderNames.ETag] = ApiRequests.ETag(stored.Version);
            return Results.Ok(View(stored));
        });
        api.MapPost("/", CreateAsync);
        api.MapPut("/{id:guid}", UpdateAsync);
        api.MapDelete("/{id:guid}", DeleteAsync);
        api.MapPost("/dry-run", DryRunApi.DryRunAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, PolicyDbContext db, IPublishEndpoint bus, TimeProvider time, CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadObjectAsync(request, ct);
        if (body is null) return problem!;
        var read = Read(body);
        if (read.Policy is not { } policy) return read.Problem!;
        if (PolicyAccess.Refusal(request.HttpContext.User, policy) is { } refused) return refused;
        if (await db.Policies.AnyAsync(p => p.Name == policy.Name, ct))
            return ApiRequests.Conflict($"A policy named '{policy.Name}' exists already.");
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7();
        var stored = new StoredPolicy
        {
            Id = id,
            Name = policy.Name,
            SourcePattern = policy.SourceRepository,
            Enabled = policy.Enabled,
            Order = policy.Order,
            Document = PolicyJson.Serialize(policy with { Id = id }),
            CreatedAt = now,
            UpdatedAt = now,
            UpdatedBy = request.HttpContext.User.Identity?.Name,
            Version = 1,
        };
        db.Policies.Add(stored);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return ApiRequests.Conflict($"A policy named '{policy.Name}' exists already.");
        }
        await bus.Publish(PolicyChanges.Policy(id, "created", now, stored.SourcePattern), ct);
        request.HttpContext.Response.Headers[HeaderNames.ETag] = ApiRequests.ETag(stored.Version);
        return Results.Created($"/api/policies/{id}", View(stored));
    }

    private static async Task<IResult> UpdateAsync(Guid id, HttpRequest request, PolicyDbContext db, IPublishEndpoint bus, TimeProvider time, CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadObjectAsync(request, ct);
        if (body is null) return problem!;
        var (expected, versionProblem) = ApiRequests.ExpectedVersion(request, body);
        if (expected is null) return versionProblem!;
        var read = Read(body);
        if (read.Policy is not { } policy) return read.Problem!;
        if (PolicyAccess.Refusal(request.HttpContext.User, policy) is { } refused) return refused;
        if (await db.Policies.SingleOrDefaultAsync(p => p.Id == id, ct) is not { } stored)
            return ApiRequests.NotFound($"Policy {id}");
        // Changing a policy also needs admin of the namespace it promoted into before.
        if (PolicyJson.TryReadPolicy(stored.Document, out _) is { } before && PolicyAccess.Refusal(request.HttpContext.User, before) is { } refusedBefore)
            return refusedBefore;
        if (stored.Version != expected) return ApiRequests.VersionMismatch(expected.Value, stored.Version);
        if (stored.Name != policy.Name && await db.Policies.AnyAsync(p => p.Name == policy.Name && p.Id != id, ct))
            return ApiRequests.Conflict($"A policy named '{policy.Name}' exists already.");

        var previousSource = stored.SourcePattern;
        stored.Name = policy.Name;
        stored.SourcePattern = policy.SourceRepository;
        stored.Enabled = policy.Enabled;
        stored.Order = policy.Order;
        stored.Document = PolicyJson.Serialize(policy with { Id = id });
        stored.UpdatedAt = time.GetUtcNow();
        stored.UpdatedBy = request.HttpContext.User.Identity?.Name;
        stored.Version = expected.Value + 1;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.Policies.AsNoTracking().Where(p => p.Id == id).Select(p => (int?)p.Version).SingleOrDefaultAsync(ct);
            return current is null ? ApiRequests.NotFound($"Policy {id}") : ApiRequests.VersionMismatch(expected.Value, current.Value);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return ApiRequests.Conflict($"A policy named '{policy.Name}' exists already.");
        }
        await bus.Publish(PolicyChanges.Policy(id, "updated", stored.UpdatedAt, previousSource, stored.SourcePattern), ct);
        request.HttpContext.Response.Headers[HeaderNames.ETag] = ApiRequests.ETag(stored.Version);
        return Results.Ok(View(stored));
    }

    /// <summary>Deleting needs what changing needs: admin of the namespace the policy promotes into (checked here too,
    /// not only at the gateway, which lets any namespace admin through).</summary>
    private static async Task<IResult> DeleteAsync(Guid id, HttpContext http, PolicyDbContext db, IPublishEndpoint bus, TimeProvider time, CancellationToken ct)
    {
        var stored = await db.Policies.AsNoTracking().Where(p => p.Id == id).Select(p => new { p.SourcePattern, p.Document }).SingleOrDefaultAsync(ct);
        if (stored is null) return ApiRequests.NotFound($"Policy {id}");
        if (PolicyJson.TryReadPolicy(stored.Document, out _) is { } policy && PolicyAccess.Refusal(http.User, policy) is { } refused)
            return refused;
        if (await db.Policies.Where(p => p.Id == id).ExecuteDeleteAsync(ct) == 0) return ApiRequests.NotFound($"Policy {id}");
        await bus.Publish(PolicyChanges.Policy(id, "deleted", time.GetUtcNow(), stored.SourcePattern), ct);
        return Results.NoContent();
    }

    /// <summary>The policy in the body, validated by the library; a name is also required here (it must be unique).</summary>
    internal static (PromotionPolicy? Policy, IResult? Problem) Read(JsonObject body)
    {
        var policy = PolicyJson.TryReadPolicy(ApiRequests.WithoutMetadata(body, Metadata).ToJsonString(), out var errors);
        var problems = errors.ToDictionary();
        if (policy is not null && string.IsNullOrWhiteSpace(policy.Name))
            problems["name"] = ["A policy needs a name (unique): verdicts and admission rules name it."];
        return problems.Count == 0 ? (policy, null) : (null, ApiRequests.Invalid(problems));
    }

    /// <summary>The stored policy as its JSON document with the record's metadata beside it.</summary>
    internal static JsonObject View(StoredPolicy stored)
    {
        var view = JsonNode.Parse(stored.Document)!.AsObject();
        view["id"] = stored.Id;
        view["version"] = stored.Version;
        view["createdAt"] = stored.CreatedAt;
        view["updatedAt"] = stored.UpdatedAt;
        view["updatedBy"] = stored.UpdatedBy;
        return view;
    }
}
