using System.Text.Json;

namespace SupplyChainMesh.Policy.Admission;

/// <summary>
/// <c>admission.k8s.io/v1</c> AdmissionReview as the API server sends it to a webhook and takes it back: the request
/// on the way in, the response (echoing the request's uid) on the way out. Field names are the API's (camelCase).
/// </summary>
public sealed record AdmissionReview
{
    public const string V1 = "admission.k8s.io/v1";
    public const string KindName = "AdmissionReview";

    public string? ApiVersion { get; init; }

    public string? Kind { get; init; }

    public AdmissionRequest? Request { get; init; }

    public AdmissionResponse? Response { get; init; }
}

public sealed record AdmissionRequest
{
    public string? Uid { get; init; }

    /// <summary>The type of the object (<c>{"group":"apps","version":"v1","kind":"Deployment"}</c>).</summary>
    public GroupVersionKind? Kind { get; init; }

    public GroupVersionResource? Resource { get; init; }

    /// <summary>The subresource (<c>ephemeralcontainers</c> when <c>kubectl debug</c> adds a container to a pod).</summary>
    public string? SubResource { get; init; }

    public GroupVersionKind? RequestKind { get; init; }

    public GroupVersionResource? RequestResource { get; init; }

    public string? RequestSubResource { get; init; }

    public string? Name { get; init; }

    public string? Namespace { get; init; }

    /// <summary><c>CREATE</c>, <c>UPDATE</c>, <c>DELETE</c> or <c>CONNECT</c>.</summary>
    public string? Operation { get; init; }

    public UserInfo? UserInfo { get; init; }

    public JsonElement? Object { get; init; }

    public JsonElement? OldObject { get; init; }

    public bool? DryRun { get; init; }

    public JsonElement? Options { get; init; }
}

public sealed record GroupVersionKind(string? Group, string? Version, string? Kind);

public sealed record GroupVersionResource(string? Group, string? Version, string? Resource);

public sealed record UserInfo
{
    public string? Username { get; init; }

    public string? Uid { get; init; }

    public IReadOnlyList<string>? Groups { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Extra { get; init; }
}

public sealed record AdmissionResponse
{
    /// <summary>Must equal the request's uid: the API server rejects a response for another request.</summary>
    public required string Uid { get; init; }

    public required bool Allowed { get; init; }

    public AdmissionStatus? Status { get; init; }

    /// <summary>Shown to the client (<c>kubectl</c> prints them as <c>Warning: ...</c>).</summary>
    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>Recorded in the audit event of the request, prefixed by the webhook's name.</summary>
    public IReadOnlyDictionary<string, string>? AuditAnnotations { get; init; }

    public string? PatchType { get; init; }

    public string? Patch { get; init; }
}

/// <summary>The <c>metav1.Status</c> of a response: shown to the client when the request is denied.</summary>
public sealed record AdmissionStatus
{
    public int? Code { get; init; }

    public string? Message { get; init; }

    public string? Reason { get; init; }

    public string? Status { get; init; }
}
