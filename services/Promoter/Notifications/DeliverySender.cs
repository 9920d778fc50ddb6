using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Promoter.Infrastructure;
using SupplyChainMesh.Promoter.Model;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Promoter.Notifications;

/// <summary>
/// Posts due deliveries: signed JSON, one attempt each, doubling back-off after a failure, given up after
/// <see cref="NotificationOptions.MaxAttempts"/>. Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c>, so several
/// Promoter processes share the work without posting one twice. Redirects are not followed and the host is checked
/// against the allow-list again at send time (the list may have shrunk since the subscription was made).
/// </summary>
public sealed class DeliverySender(IServiceScopeFactory scopes, IOptions<NotificationOptions> options, TimeProvider time, ILogger<DeliverySender> logger)
    : BackgroundService
{
    private const int Batch = 16;

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        // A subscriber's name may not resolve to loopback or the metadata address unless it is listed exactly.
        ConnectCallback = new OutboundAllowList(options.Value.AllowedHosts).ConnectAsync,
    })
    {
        Timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds),
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be restarting: the rows wait, nothing is lost.
                logger.LogWarning(ex, "Notification deliveries could not be processed; trying again");
            }
            if (sent < Batch) await Task.Delay(interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <returns>How many deliveries were attempted.</returns>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PromoterDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var due = await db.Deliveries
            .FromSql($"SELECT * FROM promoter.notification_deliveries WHERE \"Status\" = 'pending' AND \"NextAttemptAt\" <= {now} ORDER BY \"NextAttemptAt\" LIMIT {Batch} FOR UPDATE SKIP LOCKED")
            .ToListAsync(ct);
        if (due.Count == 0) return 0;
        var ids = due.Select(d => d.SubscriptionId).Distinct().ToList();
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        foreach (var delivery in due)
        {
            await SendAsync(delivery, subscriptions.GetValueOrDefault(delivery.SubscriptionId), ct);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return due.Count;
    }

    private async Task SendAsync(NotificationDelivery delivery, Subscription? subscription, CancellationToken ct)
    {
        var settings = options.Value;
        delivery.Attempts++;
        if (subscription is null || !Uri.TryCreate(subscription.Url, UriKind.Absolute, out var url) || !settings.IsAllowed(url))
        {
            delivery.Status = NotificationDelivery.Failed;
            delivery.LastError = subscription is null ? "The subscription was deleted." : $"{subscription.Url} is not on Notifications:AllowedHosts.";
            return;
        }

        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(subscription.Secret, body));
        request.Headers.Add(WebhookSignature.EventIdHeader, delivery.EventId.ToString());
        request.Headers.Add(WebhookSignature.EventKindHeader, delivery.Kind);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            delivery.LastStatusCode = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                delivery.Status = NotificationDelivery.Delivered;
                delivery.DeliveredAt = time.GetUtcNow();
                delivery.LastError = null;
                return;
            }
            delivery.LastError = $"{url.Authority} answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            delivery.LastError = $"{url.Authority}: {ex.Message}";
        }

        if (delivery.Attempts >= settings.MaxAttempts)
        {
            delivery.Status = NotificationDelivery.Failed;
            logger.LogWarning("Notification {EventId} to {Url} given up after {Attempts} attempts: {Error}", delivery.EventId, subscription.Url, delivery.Attempts, delivery.LastError);
            return;
        }
        var backoff = TimeSpan.FromSeconds(settings.RetryDelaySeconds * Math.Pow(2, delivery.Attempts - 1));
        delivery.NextAttemptAt = time.GetUtcNow() + backoff;
        logger.LogInformation("Notification {EventId} to {Url} failed ({Error}); next attempt in {Backoff}", delivery.EventId, subscription.Url, delivery.LastError, backoff);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
