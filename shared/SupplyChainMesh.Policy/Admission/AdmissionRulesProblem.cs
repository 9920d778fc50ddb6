namespace SupplyChainMesh.Policy.Admission;

/// <summary>
/// Why some or all admission rules could not be read (the rule store is unreachable, a stored rule no longer
/// deserialises), and what to do about a workload those unknown rules might cover: <see cref="Fallback"/> is the
/// service's configured default, fail-closed unless the operator chose otherwise. Fail-closed denies every workload
/// review with the reason; fail-open checks the rules that could be read and admits with a warning saying why.
/// </summary>
public sealed record AdmissionRulesProblem(string Reason, UnknownVerdictAction Fallback = UnknownVerdictAction.FailClosed);
