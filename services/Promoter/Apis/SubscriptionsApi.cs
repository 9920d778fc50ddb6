using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Promoter.Infrastructure;
using SupplyChainMesh.Promoter.Model;
using SupplyChainMesh.Promoter.Notifications;

namespace SupplyChainMesh.Promoter.Apis;

/// <summary>Notification subscribers: an allowed URL, a secret for the signature, the event kinds wanted.</summary>
public static class SubscriptionsApi
{
    public sealed record SubscriptionRequest(string? Url, string? Secret, IReadOnlyList<string>? Events, string? Description);

    /// <summary>A subscription as the API shows it: never with its secret.</summary>
    public sealed record SubscriptionView(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    public sealed record DeliveryView(Guid Id, Guid EventId, string Kind, string Status, int Attempts, int? LastStatusCode, string? LastError,
        DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt);

    /// <summary>Shortest secret accepted: the HMAC key must not be guessable.</summary>
    public const int MinSecretLength = 16;

    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/subscriptions").WithTags("Subscriptions");
        api.MapGet("/", async (PromoterDbContext db, CancellationToken ct) =>
            (await db.Subscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync(ct)).Select(View));
        api.MapGet("/{id:guid}", async Task<Results<Ok<SubscriptionView>, NotFound>> (PromoterDbContext db, Guid id, CancellationToken ct) =>
            await db.Subscriptions.FindAsync([id], ct) is { } s ? TypedResults.Ok(View(s)) : TypedResults.NotFound());
        api.MapPost("/", async Task<Results<Created<SubscriptionView>, ValidationProblem>> (
            SubscriptionRequest request, PromoterDbContext db, IOptions<NotificationOptions> options, TimeProvider time, CancellationToken ct) =>
        {
            if (Validate(request, options.Value) is { } errors) return TypedResults.ValidationProblem(errors);
            var now = time.GetUtcNow();
            var subscription = new Subscription
            {
                Id = Guid.CreateVersion7(),
                Url = request.Url!,
                Secret = request.Secret!,
                Events = request.Events!.Distinct().ToList(),
                Description = request.Description,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Subscriptions.Add(subscription);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/subscriptions/{subscription.Id}", View(subscription));
        });
        api.MapPut("/{id:guid}", async Task<Results<Ok<SubscriptionView>, NotFound, ValidationProblem>> (
            Guid id, SubscriptionRequest request, PromoterDbContext db, IOptions<NotificationOptions> options, TimeProvider time, CancellationToken ct) =>
        {
            if (Validate(request, options.Value) is { } errors) return TypedResults.ValidationProblem(errors);
            if (await db.Subscriptions.FindAsync([id], ct) is not { } subscription) return TypedResults.NotFound();
            subscription.Url = request.Url!;
            subscription.Secret = request.Secret!;
            subscription.Events = request.Events!.Distinct().ToList();
            subscription.Description = request.Description;
            subscription.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(View(subscription));
        });
        api.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (PromoterDbContext db, Guid id, CancellationToken ct) =>
            await db.Subscriptions.Where(s => s.Id == id).ExecuteDeleteAsync(ct) > 0 ? TypedResults.NoContent() : TypedResults.NotFound());
        api.MapGet("/{id:guid}/deliveries", async (PromoterDbContext db, Guid id, CancellationToken ct) =>
            await db.Deliveries.AsNoTracking().Where(d => d.SubscriptionId == id).OrderByDescending(d => d.CreatedAt).Take(500)
                .Select(d => new DeliveryView(d.Id, d.EventId, d.Kind, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.CreatedAt, d.NextAttemptAt, d.DeliveredAt))
                .ToListAsync(ct));
        return app;
    }

    /// <summary>The problems with a subscription request, or null when it is acceptable.</summary>
    public static Dictionary<string, string[]>? Validate(SubscriptionRequest request, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            errors["url"] = ["An absolute http or https URL is required."];
        else if (url.UserInfo.Length > 0)
            errors["url"] = ["The URL must not carry credentials; the signature authenticates the mesh."];
        else if (!options.IsAllowed(url))
            errors["url"] = [$"'{url.Authority}' is not on Notifications:AllowedHosts."];
        if (request.Secret is not { Length: >= MinSecretLength })
            errors["secret"] = [$"A secret of at least {MinSecretLength} characters is required (the HMAC-SHA256 key)."];
        if (request.Events is not { Count: > 0 })
            errors["events"] = [$"At least one event kind is required: {string.Join(", ", EventKinds.All)}."];
        else if (request.Events.Where(e => !EventKinds.All.Contains(e)).ToList() is { Count: > 0 } unknown)
            errors["events"] = [$"Unknown event kind(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", EventKinds.All)}."];
        return errors.Count == 0 ? null : errors;
    }

    private static SubscriptionView View(Subscription s) => new(s.Id, s.Url, s.Events, s.Description, s.CreatedAt, s.UpdatedAt);
}
