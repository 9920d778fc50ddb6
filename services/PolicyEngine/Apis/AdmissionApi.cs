using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using SupplyChainMesh.Persistence.Sagas;
using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.Policy.Serialization;
using SupplyChainMesh.PolicyEngine.Admission;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.PolicyEngine.Model;

namespace SupplyChainMesh.PolicyEngine.Apis;

/// <summary>
/// The deployment gate. <c>/api/admission/rules</c>: CRUD of the rules (per namespace or label selector: allowed
/// repositories, digest, scanned, a policy or a severity bound, KEV; enforce/warn/audit; fail-open/closed).
/// <c>POST /api/admission/validate</c>: the ValidatingAdmissionWebhook (infra/k8s/admission/webhook.yaml calls this
/// path): an <c>admission.k8s.io</c> AdmissionReview in, an AdmissionReview out, always 200 for a body that is an
/// AdmissionReview (denials carry the reason), 400 problem details for one that is not.
/// </summary>
public static class AdmissionApi
{
    private static readonly string[] Metadata = ["id", "version", "updatedAt"];

    public static IEndpointRouteBuilder MapAdmissionApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/admission/rules").WithTags("Admission");
        rules.MapGet("/", async (PolicyDbContext db, CancellationToken ct) =>
            (await db.AdmissionRules.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct)).Select(View));
        rules.MapGet("/{id:guid}", async (PolicyDbContext db, Guid id, HttpResponse response, CancellationToken ct) =>
        {
            if (await db.AdmissionRules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) is not { } stored)
                return ApiRequests.NotFound($"Admission rule {id}");
            response.Headers[HeaderNames.ETag] = ApiRequests.ETag(stored.Version);
            return Results.Ok(View(stored));
        });
        rules.MapPost("/", (HttpRequest request, PolicyDbContext db, AdmissionRules current, TimeProvider time, CancellationToken ct) =>
            SaveAsync(null, request, db, current, time, ct));
        rules.MapPut("/{id:guid}", (Guid id, HttpRequest request, PolicyDbContext db, AdmissionRules current, TimeProvider time, CancellationToken ct) =>
            SaveAsync(id, request, db, current, time, ct));
        rules.MapDelete("/{id:guid}", async (PolicyDbContext db, AdmissionRules current, Guid id, CancellationToken ct) =>
        {
            if (await db.AdmissionRules.Where(r => r.Id == id).ExecuteDeleteAsync(ct) == 0) return ApiRequests.NotFound($"Admission rule {id}");
            current.Invalidate();
            return Results.NoContent();
        });
        app.MapPost("/api/admission/validate", ValidateAsync).WithTags("Admission");
        return app;
    }

    private static async Task<IResult> ValidateAsync(HttpRequest request, AdmissionRules rules, StoredVerdictLookup verdicts, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (NotAnAdmissionReview(body.Span) is { } why)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an AdmissionReview", detail: why);
        var controller = await rules.ControllerAsync(ct);
        var review = await controller.ReviewAsync(body, verdicts, ct);
        return Results.Bytes(AdmissionJson.SerializeToUtf8Bytes(review), "application/json");
    }

    // The API server always sends an object with kind AdmissionReview; anything else is not a review to answer.
    private static string? NotAnAdmissionReview(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return "The body is not a JSON object.";
            return root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == AdmissionReview.KindName
                ? null
                : "The body has no \"kind\": \"AdmissionReview\".";
        }
        catch (JsonException ex)
        {
            return $"The body is not valid JSON: {ex.Message}";
        }
    }

    private static async Task<IResult> SaveAsync(Guid? id, HttpRequest request, PolicyDbContext db, AdmissionRules current, TimeProvider time, CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadObjectAsync(request, ct);
        if (body is null) return problem!;
        int? expected = null;
        if (id is not null)
        {
            (expected, problem) = ApiRequests.ExpectedVersion(request, body);
            if (expected is null) return problem!;
        }
        AdmissionRule rule;
        try
        {
            rule = PolicyJson.Deserialize<AdmissionRule>(ApiRequests.WithoutMetadata(body, Metadata).ToJsonString(), "admission rule");
        }
        catch (PolicyJsonException ex)
        {
            return ApiRequests.Invalid(ex.Field.Length == 0 ? "$" : ex.Field, ex.Message);
        }
        var errors = AdmissionRuleValidator.Validate(rule);
        if (!errors.IsValid) return ApiRequests.Invalid(errors.ToDictionary().ToDictionary(e => e.Key.Length == 0 ? "$" : e.Key, e => e.Value));

        StoredAdmissionRule stored;
        if (id is { } existing)
        {
            if (await db.AdmissionRules.SingleOrDefaultAsync(r => r.Id == existing, ct) is not { } found) return ApiRequests.NotFound($"Admission rule {existing}");
            if (found.Version != expected) return ApiRequests.VersionMismatch(expected!.Value, found.Version);
            stored = found;
            stored.Version++;
        }
        else
        {
            stored = new StoredAdmissionRule { Id = Guid.CreateVersion7(), Name = rule.Name, Document = "", Version = 1 };
            db.AdmissionRules.Add(stored);
        }
        stored.Name = rule.Name;
        stored.Document = PolicyJson.Serialize(rule);
        stored.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Changed (or deleted) between our read and our write.
            var storedVersion = await db.AdmissionRules.AsNoTracking().Where(r => r.Id == stored.Id).Select(r => (int?)r.Version).SingleOrDefaultAsync(ct);
            return storedVersion is null ? ApiRequests.NotFound($"Admission rule {stored.Id}") : ApiRequests.VersionMismatch(expected ?? 0, storedVersion.Value);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return ApiRequests.Conflict($"An admission rule named '{rule.Name}' exists already.");
        }
        current.Invalidate();
        request.HttpContext.Response.Headers[HeaderNames.ETag] = ApiRequests.ETag(stored.Version);
        return id is null ? Results.Created($"/api/admission/rules/{stored.Id}", View(stored)) : Results.Ok(View(stored));
    }

    private static JsonObject View(StoredAdmissionRule stored)
    {
        var view = JsonNode.Parse(stored.Document)!.AsObject();
        view["id"] = stored.Id;
        view["version"] = stored.Version;
        view["updatedAt"] = stored.UpdatedAt;
        return view;
    }
}
