using System.Text.Json;

namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>Turns registry notifications into validated <see cref="PushNotice"/>s, or says exactly what is malformed.</summary>
public static class EnvelopeReader
{
    /// <param name="IgnoredReasons">One <see cref="Webhooks.IgnoredReasons"/> per event not acted on.</param>
    public sealed record Result(IReadOnlyList<PushNotice> Pushes, IReadOnlyList<string> IgnoredReasons, string? Error)
    {
        public IReadOnlyList<DeleteNotice> Deletes { get; init; } = [];

        public int Ignored => IgnoredReasons.Count;

        public static Result Malformed(string error) => new([], [], error);
    }

    public static async Task<Result> ReadDistributionAsync(Stream body, string? defaultRegistry, CancellationToken ct)
    {
        DistributionEnvelope? envelope;
        try
        {
            envelope = await JsonSerializer.DeserializeAsync<DistributionEnvelope>(body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return Result.Malformed($"The body is not a Distribution notification envelope: {ex.Message}");
        }
        if (envelope?.Events is null)
            return Result.Malformed("The envelope has no 'events' array.");

        var pushes = new List<PushNotice>();
        var deletes = new List<DeleteNotice>();
        var ignored = new List<string>();
        for (var i = 0; i < envelope.Events.Count; i++)
        {
            var e = envelope.Events[i];
            if (e is null || (e.Action != "push" && e.Action != "delete"))
            {
                ignored.Add(e?.Action is "pull" ? IgnoredReasons.Pull : e?.Action is "mount" ? IgnoredReasons.Blob : IgnoredReasons.OtherAction);
                continue;
            }
            var t = e.Target;
            if (t is null) return Result.Malformed($"events[{i}] has no 'target'.");
            if (IsBlob(t))
            {
                ignored.Add(IgnoredReasons.Blob);
                continue;
            }
            if (e.Action == "push" && !ManifestMediaTypes.IsImageManifest(t.MediaType))
            {
                ignored.Add(IgnoredReasons.UnknownMediaType);
                continue;
            }
            if (string.IsNullOrWhiteSpace(e.Id)) return Result.Malformed($"events[{i}] has no 'id'.");
            if (!RepositoryName.IsValid(t.Repository)) return Result.Malformed($"events[{i}].target.repository '{t.Repository}' is not a valid repository name.");
            var registry = RegistryOf(t.Url) ?? e.Request?.Host ?? defaultRegistry;
            if (string.IsNullOrWhiteSpace(registry)) return Result.Malformed($"events[{i}] does not say which registry it came from (no target.url or request.host).");

            if (e.Action == "delete")
            {
                // Distribution reports a manifest deleted by digest (target.digest) or a tag deleted (target.tag only).
                if (t.Digest is { Length: > 0 } && !IsDigest(t.Digest)) return Result.Malformed($"events[{i}].target.digest '{t.Digest}' is not a digest (algorithm:hex).");
                if (t.Digest is not { Length: > 0 } && string.IsNullOrEmpty(t.Tag))
                {
                    ignored.Add(IgnoredReasons.OtherAction);
                    continue;
                }
                deletes.Add(new DeleteNotice(e.Id, registry, t.Repository!, NullIfEmpty(t.Digest), t.Digest is { Length: > 0 } ? null : t.Tag,
                    e.Timestamp ?? DateTimeOffset.UtcNow));
                continue;
            }
            if (!IsDigest(t.Digest)) return Result.Malformed($"events[{i}].target.digest '{t.Digest}' is not a digest (algorithm:hex).");
            pushes.Add(new PushNotice(e.Id, registry, t.Repository!, t.Tag ?? "", t.Digest!, t.MediaType!,
                e.Timestamp ?? DateTimeOffset.UtcNow, "distribution", NullIfEmpty(e.Actor?.Name)));
        }
        return new(pushes, ignored, null) { Deletes = deletes };
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
            return Result.Malformed($"The body is not a Harbor webhook payload: {ex.Message}");
        }
        if (hook?.Type is null) return Result.Malformed("The payload has no 'type'.");
        if (hook.Type != "PUSH_ARTIFACT") return new([], [IgnoredReasons.HarborType], null);
        var repository = hook.EventData?.Repository?.RepoFullName;
        if (!RepositoryName.IsValid(repository)) return Result.Malformed($"event_data.repository.repo_full_name '{repository}' is not a valid repository name.");
        var pushes = new List<PushNotice>();
        foreach (var (r, i) in (hook.EventData?.Resources ?? []).Select((r, i) => (r, i)))
        {
            if (!IsDigest(r.Digest)) return Result.Malformed($"event_data.resources[{i}].digest '{r.Digest}' is not a digest.");
            var registry = RegistryOf("https://" + r.ResourceUrl) ?? defaultRegistry;
            if (string.IsNullOrWhiteSpace(registry)) return Result.Malformed($"event_data.resources[{i}] has no resource_url naming the registry.");
            var occurred = hook.OccurAt is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : DateTimeOffset.UtcNow;
            pushes.Add(new PushNotice($"harbor:{r.Digest}:{r.Tag}:{hook.OccurAt}", registry, repository!, r.Tag ?? "", r.Digest!,
                ManifestMediaTypes.OciManifest, occurred, "harbor", NullIfEmpty(hook.Operator)));
        }
        return new(pushes, [], null);
    }

    public static bool IsDigest(string? digest) =>
        digest is not null && digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length == 71
        && digest.AsSpan(7).IndexOfAnyExcept(LowerHex) < 0;

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>A layer or config blob: Distribution says so in the URL (<c>/v2/NAME/blobs/DIGEST</c>) and gives blobs
    /// the generic or a layer media type; anything else pushed is a manifest of some kind.</summary>
    private static bool IsBlob(DistributionTarget target) =>
        target.Url?.Contains("/blobs/", StringComparison.Ordinal) == true
        || target.MediaType is "application/octet-stream"
        || target.MediaType?.Contains(".layer.", StringComparison.Ordinal) == true;

    private static string? RegistryOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Authority : null;

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
