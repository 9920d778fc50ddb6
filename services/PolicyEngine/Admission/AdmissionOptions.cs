using SupplyChainMesh.Policy.Admission;

namespace SupplyChainMesh.PolicyEngine.Admission;

/// <summary>How the admission webhook copes with its own store (section <c>PolicyEngine:Admission</c>).</summary>
public sealed class AdmissionOptions
{
    public const string Section = "PolicyEngine:Admission";

    /// <summary>
    /// What to answer for a workload when no rule can be determined: the rules were never loaded and the database does
    /// not answer, or a stored rule no longer deserialises. Fail-closed (the default) denies with the reason; fail-open
    /// checks the rules that could be read and admits with a warning saying why.
    /// </summary>
    public UnknownVerdictAction WhenRulesUnavailable { get; set; } = UnknownVerdictAction.FailClosed;

    /// <summary>The longest one database read (the rules, one verdict) may take: the API server gives the whole review
    /// <c>timeoutSeconds</c> (5 s in infra/k8s/admission/webhook.yaml), and a review answered late is no answer.</summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a failure to load the rules is remembered, so an outage costs one timeout per interval, not per review.</summary>
    public TimeSpan RetryRulesAfter { get; set; } = TimeSpan.FromSeconds(5);
}
