using SupplyChainMesh.Policy.Assessments;

namespace SupplyChainMesh.Policy.Admission;

/// <summary>
/// What images may run in the namespaces a rule covers. A rule applies when the request's namespace matches one of
/// <see cref="Namespaces"/> (globs; empty: every namespace) and the object's labels, or for a workload its pod
/// template's labels, match <see cref="ObjectSelector"/> (when given). Selecting namespaces by their labels is the
/// webhook configuration's <c>namespaceSelector</c> (infra/k8s/admission/webhook.yaml): the AdmissionReview does not
/// carry namespace labels. <see cref="RequiredPolicy"/> and <see cref="MaxSeverity"/> are alternatives: when both are set,
/// satisfying either is enough.
/// </summary>
public sealed record AdmissionRule
{
    public string Name { get; init; } = "";

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public LabelSelector? ObjectSelector { get; init; }

    /// <summary>Repository patterns (<c>prod/*</c>, <c>registry.example.com/prod/**</c>); empty allows any repository.</summary>
    public IReadOnlyList<string> AllowedRepositories { get; init; } = [];

    /// <summary>The image must be referenced by digest, or its tag must resolve to a digest the verdict store knows.</summary>
    public bool RequireDigest { get; init; }

    public bool RequireScanned { get; init; }

    /// <summary>The name of a promotion policy the image must satisfy.</summary>
    public string? RequiredPolicy { get; init; }

    /// <summary>No finding (after exceptions and VEX) may be above this severity.</summary>
    public Severity? MaxSeverity { get; init; }

    /// <summary>No finding may be in CISA KEV.</summary>
    public bool DenyKev { get; init; }

    public AdmissionMode Mode { get; init; } = AdmissionMode.Enforce;

    public UnknownVerdictAction OnUnknownVerdict { get; init; } = UnknownVerdictAction.FailClosed;

    /// <summary>True when checking the rule needs the image's verdict (not only its reference).</summary>
    public bool NeedsVerdict => RequireDigest || RequireScanned || RequiredPolicy is not null || MaxSeverity is not null || DenyKev;
}
