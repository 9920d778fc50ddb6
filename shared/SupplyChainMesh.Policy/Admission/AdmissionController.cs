using System.Text.Json;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Policy.Patterns;

namespace SupplyChainMesh.Policy.Admission;

/// <summary>
/// The ValidatingAdmissionWebhook's decision: finds the images a Pod or workload will run, checks each against the
/// rules covering the namespace, and answers an AdmissionReview that echoes the request uid, says in plain words which
/// image broke which rule, and carries warnings (warn mode, fail-open unknowns) and audit annotations (audit mode).
/// Bad input is answered, never thrown: another apiVersion, no request or uid → 400; a missing or malformed object or
/// kind, or an unexpected failure → denied with the reason unless every rule covering the namespace fails open; an
/// unparseable image reference breaks the rule that sees it. Rules that could not be read
/// (<see cref="AdmissionRulesProblem"/>) deny every workload review, or admit with a warning, as configured.
/// <para>
/// Two situations without a verdict are kept apart. An image the verdict store answers for with nothing has <b>not been
/// scanned</b>: a fact, which breaks a rule with <see cref="AdmissionRule.RequireScanned"/> whatever its fail-open
/// setting. An image whose lookup failed (store unreachable, timeout) has an <b>unknown</b> verdict: the rule's
/// <see cref="AdmissionRule.OnUnknownVerdict"/> decides. A rule that needs findings but not a scan treats "not scanned"
/// as unknown too (its findings are unknown).
/// </para>
/// </summary>
public sealed class AdmissionController
{
    public const string AuditAnnotationKey = "violations";
    private const int MaxWarningLength = 256;
    private readonly IReadOnlyList<AdmissionRule> _rules;

    /// <param name="rules">The rules that could be read.</param>
    /// <param name="rulesProblem">Why other rules (or all) could not be read, or null when every rule was read.</param>
    public AdmissionController(IEnumerable<AdmissionRule> rules, AdmissionRulesProblem? rulesProblem = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = [.. rules];
        RulesProblem = rulesProblem;
    }

    public IReadOnlyList<AdmissionRule> Rules => _rules;

    public AdmissionRulesProblem? RulesProblem { get; }

    /// <summary>Reviews a raw request body; malformed JSON is answered with a 400 denial.</summary>
    public async ValueTask<AdmissionReview> ReviewAsync(ReadOnlyMemory<byte> body, IImageVerdictLookup verdicts, CancellationToken cancellationToken = default)
    {
        AdmissionReview? review;
        try
        {
            review = JsonSerializer.Deserialize<AdmissionReview>(body.Span, AdmissionJson.Options);
        }
        catch (JsonException ex)
        {
            return Invalid(AdmissionReview.V1, UidOf(body), $"The AdmissionReview is not valid JSON: {ex.Message}");
        }
        if (review is null) return Invalid(AdmissionReview.V1, "", "The body is JSON null, not an AdmissionReview.");
        return await ReviewAsync(review, verdicts, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<AdmissionReview> ReviewAsync(AdmissionReview review, IImageVerdictLookup verdicts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(verdicts);
        var uid = review.Request?.Uid ?? "";
        var apiVersion = review.ApiVersion is "admission.k8s.io/v1beta1" ? review.ApiVersion : AdmissionReview.V1;
        try
        {
            if (review.ApiVersion != AdmissionReview.V1)
                return Invalid(apiVersion, uid, $"Only {AdmissionReview.V1} AdmissionReviews are served; this one is '{review.ApiVersion ?? "(none)"}'.");
            if (review.Kind != AdmissionReview.KindName)
                return Invalid(apiVersion, uid, $"Expected kind AdmissionReview, got '{review.Kind ?? "(none)"}'.");
            if (review.Request is not { } request)
                return Invalid(apiVersion, uid, "The AdmissionReview has no request.");
            if (string.IsNullOrEmpty(request.Uid))
                return Invalid(apiVersion, uid, "The request has no uid.");
            return await DecideAsync(request, verdicts, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug or an unforeseen object must not turn into an HTTP 500 (the API server would apply the webhook's
            // global failurePolicy): the rules covering the namespace decide, as for an object that cannot be read.
            return Undecidable(uid, review.Request?.Namespace ?? "", $"The image policy webhook failed: {ex.Message}", 503, "ServiceUnavailable");
        }
    }

    private async ValueTask<AdmissionReview> DecideAsync(AdmissionRequest request, IImageVerdictLookup verdicts, CancellationToken ct)
    {
        var uid = request.Uid!;
        if (request.Operation is "DELETE" or "CONNECT") return Answer(uid, true);
        var kind = request.Kind?.Kind;
        var ns = request.Namespace ?? "";
        // Without a kind the images cannot be found: like a missing object, not a reason to admit.
        if (string.IsNullOrEmpty(kind))
            return Undecidable(uid, ns, $"The request for '{request.Name}' names no kind (request.kind), so its images cannot be found.");
        if (!WorkloadImages.IsWorkloadKind(kind)) return Answer(uid, true);
        if (RulesProblem is { Fallback: UnknownVerdictAction.FailClosed } unreadable)
            return Answer(uid, false, 503, "ServiceUnavailable",
                $"The {kind} '{request.Name}' cannot be checked: {unreadable.Reason}. Denied because the configured default for unreadable admission rules fails closed.");
        var answer = await CheckAsync(request, kind, ns, verdicts, ct).ConfigureAwait(false);
        return RulesProblem is { } skipped && answer.Response is { Allowed: true } admitted
            ? answer with { Response = admitted with { Warnings = Trimmed([.. admitted.Warnings ?? [], FailOpenNote(skipped)]) } }
            : answer;
    }

    private static string FailOpenNote(AdmissionRulesProblem problem) =>
        $"Checked without some admission rules ({problem.Reason}): admitted because the configured default for unreadable rules fails open.";

    private async ValueTask<AdmissionReview> CheckAsync(AdmissionRequest request, string kind, string ns, IImageVerdictLookup verdicts, CancellationToken ct)
    {
        var uid = request.Uid!;
        if (request.Object is not { ValueKind: JsonValueKind.Object } obj)
            return Undecidable(uid, ns, $"The {kind} '{request.Name}' arrived without an object to check.");
        // A selector matches the object's labels or, for a workload, its pod template's (see WorkloadImages.LabelSets).
        var labelSets = WorkloadImages.LabelSets(kind, obj);
        var rules = _rules.Where(r => Covers(r, ns) && (r.ObjectSelector is not { } selector || labelSets.Any(selector.Matches))).ToList();
        if (rules.Count == 0) return Answer(uid, true);
        if (!WorkloadImages.TryExtract(kind, obj, out var images, out var problem))
            return Undecidable(uid, ns, problem!);
        // Adding a debug container only runs the ephemeral containers: the others were admitted when the pod was.
        if (request.SubResource == "ephemeralcontainers")
            images = [.. images.Where(i => i.Kind == ContainerKind.EphemeralContainer)];

        var denials = new List<string>();
        var warnings = new List<string>();
        var audit = new List<string>();
        var lookups = new Dictionary<string, Lookup>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            foreach (var container in images)
            {
                var lookup = await LookupAsync(container.Image, rule.NeedsVerdict, lookups, verdicts, ct).ConfigureAwait(false);
                var subject = $"image '{container.Image}' ({container.Describe()})";
                var reasons = Check(rule, lookup, out var unknown);
                if (unknown && rule.OnUnknownVerdict == UnknownVerdictAction.FailOpen)
                {
                    var note = $"{subject} was admitted without a verdict: rule '{rule.Name}' fails open";
                    (rule.Mode == AdmissionMode.Audit ? audit : warnings).Add(note);
                }
                if (reasons.Count == 0) continue;
                var sentence = $"{subject} breaks rule '{rule.Name}': {string.Join("; ", reasons)}";
                (rule.Mode switch { AdmissionMode.Enforce => denials, AdmissionMode.Warn => warnings, _ => audit }).Add(sentence);
            }
        }
        var auditAnnotations = audit.Count == 0 ? null : new Dictionary<string, string> { [AuditAnnotationKey] = string.Join(" | ", audit) };
        if (denials.Count > 0)
            return Answer(uid, false, 403, "Forbidden", $"Denied by image policy: {string.Join(". ", denials)}.", warnings, auditAnnotations);
        return Answer(uid, true, null, null, null, warnings, auditAnnotations);
    }

    private static List<string> Check(AdmissionRule rule, Lookup lookup, out bool unknown)
    {
        unknown = false;
        var reasons = new List<string>();
        if (lookup.Reference is not { } reference)
        {
            reasons.Add(lookup.ParseError!);
            return reasons;
        }
        if (rule.AllowedRepositories.Count > 0 &&
            !rule.AllowedRepositories.Any(p => RepositoryPattern.Matches(p, reference.Registry!, reference.Repository!)))
            reasons.Add($"repository '{reference.Name}' is not allowed here (allowed: {string.Join(", ", rule.AllowedRepositories)})");
        if (!rule.NeedsVerdict) return reasons;
        if (lookup.Verdict is not { } verdict)
        {
            if (lookup.LookupError is null && rule.RequireScanned)
            {
                // The store answered and knows nothing of the image: it was never scanned. Not an unknown verdict, so
                // fail-open does not apply.
                reasons.Add("it has not been scanned (no scan or verdict is known for it)");
                return reasons;
            }
            unknown = true;
            if (rule.OnUnknownVerdict == UnknownVerdictAction.FailClosed)
                reasons.Add($"no verdict is known for it{(lookup.LookupError is null ? "" : $" ({lookup.LookupError})")} and the rule fails closed");
            return reasons;
        }
        if (rule.RequireDigest && reference.Digest is null && verdict.Digest is null)
            reasons.Add("it is not referenced by digest and its tag resolves to no known digest");
        if (!verdict.Scanned)
        {
            if (rule.RequireScanned)
                reasons.Add("it has not been scanned");
            else if (rule.RequiredPolicy is not null || rule.MaxSeverity is not null || rule.DenyKev)
                reasons.Add("it has not been scanned, so its findings are unknown");
            return reasons;
        }
        if (rule.RequiredPolicy is not null || rule.MaxSeverity is not null)
        {
            var policyOk = rule.RequiredPolicy is { } name && verdict.SatisfiedPolicies.Contains(name);
            var severityOk = rule.MaxSeverity is { } max && (verdict.HighestSeverity is not { } highest || highest <= max);
            if (!policyOk && !severityOk)
            {
                var why = new List<string>();
                if (rule.RequiredPolicy is not null) why.Add($"it does not satisfy policy '{rule.RequiredPolicy}'");
                if (rule.MaxSeverity is { } bound)
                {
                    var above = verdict.FindingCounts.Where(c => c.Key > bound && c.Value > 0).OrderByDescending(c => c.Key)
                        .Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}");
                    why.Add($"it has findings above {bound.ToString().ToLowerInvariant()} ({string.Join(", ", above)})");
                }
                reasons.Add(string.Join(" and ", why));
            }
        }
        if (rule.DenyKev && verdict.KevFindings.Count > 0)
            reasons.Add($"it has findings known to be exploited (CISA KEV): {string.Join(", ", verdict.KevFindings.Take(5))}");
        return reasons;
    }

    private static async ValueTask<Lookup> LookupAsync(string image, bool needsVerdict, Dictionary<string, Lookup> cache, IImageVerdictLookup verdicts, CancellationToken ct)
    {
        if (cache.TryGetValue(image, out var known) && (known.Looked || !needsVerdict)) return known;
        if (known.Reference is null && known.ParseError is null)
        {
            known = Parse(image);
        }
        if (needsVerdict && known.Reference is not null && !known.Looked)
        {
            try
            {
                known = known with { Verdict = await verdicts.FindAsync(known.Reference, ct).ConfigureAwait(false), Looked = true };
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // A timeout of the store (not the request being abandoned) is an unknown verdict like any failure.
                known = known with { LookupError = $"the verdict lookup failed: {ex.Message}", Looked = true };
            }
        }
        cache[image] = known;
        return known;
    }

    private static Lookup Parse(string image)
    {
        try
        {
            var reference = ImageReference.Parse(image);
            return reference.Transport == ImageTransport.Registry
                ? new Lookup(reference, null)
                : new Lookup(null, $"its reference is not a registry image ({reference.Transport})");
        }
        catch (FormatException ex)
        {
            return new Lookup(null, $"its reference does not parse: {ex.Message}");
        }
    }

    private readonly record struct Lookup(ImageReference? Reference, string? ParseError, ImageVerdict? Verdict = null, bool Looked = false, string? LookupError = null);

    /// <summary>
    /// The answer when the images cannot be checked at all (no object, no kind, an object not shaped as its kind, a
    /// failure of the webhook): every rule covering the namespace (whatever its object selector, which may be what
    /// could not be read) must fail open for the request to be admitted, with a warning saying why.
    /// </summary>
    private AdmissionReview Undecidable(string uid, string ns, string problem, int code = 400, string reason = "BadRequest")
    {
        if (RulesProblem is { Fallback: UnknownVerdictAction.FailClosed } unreadable)
            return Answer(uid, false, code, reason, $"{problem} Denied because {unreadable.Reason} and the configured default for unreadable admission rules fails closed.");
        var rules = _rules.Where(r => Covers(r, ns)).ToList();
        List<string> notes = RulesProblem is { } open ? [FailOpenNote(open)] : [];
        if (rules.Count == 0) return Answer(uid, true, null, null, null, notes, null);
        if (rules.TrueForAll(r => r.OnUnknownVerdict == UnknownVerdictAction.FailOpen))
            return Answer(uid, true, null, null, null, [$"{problem} Admitted because every rule for namespace '{ns}' fails open.", .. notes], null);
        return Answer(uid, false, code, reason, $"{problem} Denied because rule '{rules.First(r => r.OnUnknownVerdict == UnknownVerdictAction.FailClosed).Name}' fails closed.", null, null);
    }

    private static bool Covers(AdmissionRule rule, string ns) =>
        rule.Namespaces.Count == 0 || rule.Namespaces.Any(p => GlobPattern.IsMatch(p, ns));

    private static AdmissionReview Invalid(string apiVersion, string uid, string message) => new()
    {
        ApiVersion = apiVersion,
        Kind = AdmissionReview.KindName,
        Response = new AdmissionResponse
        {
            Uid = uid,
            Allowed = false,
            Status = new AdmissionStatus { Code = 400, Reason = "BadRequest", Status = "Failure", Message = message },
        },
    };

    private static AdmissionReview Answer(string uid, bool allowed, int? code = null, string? reason = null, string? message = null,
        IReadOnlyList<string>? warnings = null, IReadOnlyDictionary<string, string>? auditAnnotations = null) => new()
        {
            ApiVersion = AdmissionReview.V1,
            Kind = AdmissionReview.KindName,
            Response = new AdmissionResponse
            {
                Uid = uid,
                Allowed = allowed,
                Status = message is null ? null : new AdmissionStatus { Code = code, Reason = reason, Status = allowed ? "Success" : "Failure", Message = message },
                Warnings = Trimmed(warnings),
                AuditAnnotations = auditAnnotations,
            },
        };

    // The API server truncates long warnings anyway; trimming here keeps the start, which names the image and rule.
    private static IReadOnlyList<string>? Trimmed(IReadOnlyList<string>? warnings) =>
        warnings is { Count: > 0 } ? [.. warnings.Select(w => w.Length <= MaxWarningLength ? w : w[..(MaxWarningLength - 1)] + "…")] : null;

    // The uid of a review whose body does not deserialise, when it can still be found, so the denial is attributable.
    private static string UidOf(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("request", out var r) && r.ValueKind == JsonValueKind.Object &&
                   r.TryGetProperty("uid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
