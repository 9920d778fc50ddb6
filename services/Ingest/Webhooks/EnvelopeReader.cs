using System.Text.Json;

namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>Turns registry notifications into validated <see cref="PushNotice"/>s, or says exactly what is malformed.</summary>
public static class EnvelopeReader
{
    public sealed record Result(IReadOnlyList<PushNotice> Pushes, int Ignored, string? Error);

    public static async Task<Result> ReadDistributionAsync(Stream body, string? defaultRegistry, CancellationToken ct)
    {
        DistributionEnvelope? envelope;
        try
        {
            envelope = await JsonSerializer.DeserializeAsync<DistributionEnvelope>(body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return new([], 0, $"The body is not a Distribution notification envelope: {ex.Message}");
        }
        if (envelope?.Events is null)
            return new([], 0, "The envelope has no 'events' array.");

        var pushes = new List<PushNotice>();
        var ignored = 0;
        for (var i = 0; i < envelope.Events.Count; i++)
        {
            var e = envelope.Events[i];
            if (e is null || e.Action != "push" || !ManifestMediaTypes.IsImageManifest(e.Target?.MediaType))
            {
                ignored++;
                continue;
            }
            var t = e.Target!;
            if (string.IsNullOrWhiteSpace(e.Id)) return new([], 0, $"events[{i}] has no 'id'.");
            if (!IsDigest(t.Digest)) return new([], 0, $"events[{i}].target.digest '{t.Digest}' is not a digest (algorithm:hex).");
            if (!RepositoryName.IsValid(t.Repository)) return new([], 0, $"events[{i}].target.repository '{t.Repository}' is not a valid repository name.");
            var registry = RegistryOf(t.Url) ?? e.Request?.Host ?? defaultRegistry;
            if (string.IsNullOrWhiteSpace(registry)) return new([], 0, $"events[{i}] does not say which registry it came from (no target.url or request.host).");
            pushes.Add(new PushNotice(e.Id, registry, t.Repository!, t.Tag ?? "", t.Digest!, t.MediaType!,
                e.Timestamp ?? DateTimeOffset.UtcNow, "distribution", NullIfEmpty(e.Actor?.Name)));
        }
        return new(pushes, ignored, null);
    }

    public static async Task<Result> ReadHarborAsync(Stream body, string? defaultRegistry, CancellationToken ct)
    {
        HarborWebhook? hook;
        try
        {
            hook = await JsonSerializer.DeserializeAsync<HarborWebhook>(body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return new([], 0, $"The body is not a Harbor webhook payload: {ex.Message}");
        }
        if (hook?.Type is null) return new([], 0, "The payload has no 'type'.");
        if (hook.Type != "PUSH_ARTIFACT") return new([], 1, null);
        var repository = hook.EventData?.Repository?.RepoFullName;
        if (!RepositoryName.IsValid(repository)) return new([], 0, $"event_data.repository.repo_full_name '{repository}' is not a valid repository name.");
        var pushes = new List<PushNotice>();
        foreach (var (r, i) in (hook.EventData?.Resources ?? []).Select((r, i) => (r, i)))
        {
            if (!IsDigest(r.Digest)) return new([], 0, $"event_data.resources[{i}].digest '{r.Digest}' is not a digest.");
            var registry = RegistryOf("https://" + r.ResourceUrl) ?? defaultRegistry;
            if (string.IsNullOrWhiteSpace(registry)) return new([], 0, $"event_data.resources[{i}] has no resource_url naming the registry.");
            var occurred = hook.OccurAt is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : DateTimeOffset.UtcNow;
            pushes.Add(new PushNotice($"harbor:{r.Digest}:{r.Tag}:{hook.OccurAt}", registry, repository!, r.Tag ?? "", r.Digest!,
                ManifestMediaTypes.OciManifest, occurred, "harbor", NullIfEmpty(hook.Operator)));
        }
        return new(pushes, 0, null);
    }

    public static bool IsDigest(string? digest) =>
        digest is not null && digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length == 71
        && digest.AsSpan(7).IndexOfAnyExcept(LowerHex) < 0;

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    private static string? RegistryOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Authority : null;

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
