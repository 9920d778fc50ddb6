using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Vex;

namespace SupplyChainMesh.Policy.Exceptions;

/// <summary>
/// Removes the findings that exceptions and VEX statements cover, before any criterion runs. Precedence:
/// <list type="number">
/// <item>An active exception (not expired at <c>now</c>) whose scope, vulnerability (id or alias) and package match suppresses the finding. An expired one does nothing.</item>
/// <item>Of the VEX statements about the finding, the latest (by timestamp, then by position) decides, as VEX statements supersede earlier ones:
/// <c>not_affected</c> or <c>fixed</c> suppresses; <c>affected</c> or <c>under_investigation</c> does not.</item>
/// <item>The two are independent: a VEX <c>affected</c> never un-suppresses a finding an exception covers, and a finding both cover lists both reasons.</item>
/// </list>
/// </summary>
public static class FindingSuppressor
{
    public static (IReadOnlyList<Finding> Active, IReadOnlyList<SuppressedFinding> Suppressed) Apply(
        ImageAssessment image,
        IReadOnlyList<VulnerabilityException> exceptions,
        IReadOnlyList<VexStatement> statements,
        DateTimeOffset now)
    {
        if (exceptions.Count == 0 && statements.Count == 0) return (image.Findings, []);
        var active = new List<Finding>(image.Findings.Count);
        List<SuppressedFinding>? suppressed = null;
        foreach (var finding in image.Findings)
        {
            List<Suppression>? by = null;
            foreach (var exception in exceptions)
            {
                if (!exception.AppliesTo(image, finding, now)) continue;
                (by ??= []).Add(new Suppression
                {
                    Kind = SuppressionKind.Exception,
                    Reference = exception.Id.ToString(),
                    Reason = exception.Reason,
                    By = exception.CreatedBy,
                    ExpiresAt = exception.ExpiresAt,
                });
            }
            if (DecidingStatement(statements, image, finding) is { Suppresses: true } statement)
            {
                (by ??= []).Add(new Suppression
                {
                    Kind = SuppressionKind.Vex,
                    Reference = statement.DocumentId,
                    Reason = Describe(statement),
                    By = statement.Author,
                });
            }
            if (by is null) active.Add(finding);
            else (suppressed ??= []).Add(new SuppressedFinding(finding, by));
        }
        return (active, (IReadOnlyList<SuppressedFinding>?)suppressed ?? []);
    }

    /// <summary>The latest statement about the finding, or null when none speaks about it.</summary>
    public static VexStatement? DecidingStatement(IReadOnlyList<VexStatement> statements, ImageAssessment image, Finding finding)
    {
        VexStatement? latest = null;
        foreach (var statement in statements)
        {
            if (!VexMatcher.Applies(statement, image, finding)) continue;
            // Later in the list wins a tie: documents list statements in the order they were made.
            if (latest is null || (statement.Timestamp ?? DateTimeOffset.MinValue) >= (latest.Timestamp ?? DateTimeOffset.MinValue))
                latest = statement;
        }
        return latest;
    }

    private static string Describe(VexStatement s)
    {
        var status = s.Status == VexStatus.Fixed ? "fixed" : "not_affected";
        var why = s.Justification is null ? "" : $": {s.Justification}";
        var impact = s.ImpactStatement is null ? "" : $" ({s.ImpactStatement})";
        return $"VEX {status}{why}{impact}";
    }
}
