using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Patterns;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// A package must be present (or absent): <see cref="Purl"/> is a purl or a purl glob without version
/// (<c>pkg:deb/debian/openssl</c>, <c>pkg:npm/*lodash*</c>), optionally narrowed by <see cref="VersionRange"/>
/// compared with the package type's version scheme.
/// </summary>
public sealed record ComponentCriterion : Criterion
{
    public const string KindName = "component";
    private static readonly ConcurrentDictionary<string, VersionRange?> Ranges = new(StringComparer.Ordinal);

    [JsonIgnore]
    public override string Kind => KindName;

    public ComponentPresence Presence { get; init; } = ComponentPresence.Present;

    public string Purl { get; init; } = "";

    public string? VersionRange { get; init; }

    public override CriterionResult Evaluate(EvaluationContext context)
    {
        var range = ParsedRange();
        List<AssessedPackage>? found = null;
        foreach (var package in context.Assessment.Packages)
        {
            if (!PurlText.Matches(Purl, package.Purl)) continue;
            if (range is not null && !range.Contains(package.Type, package.Version, context.Versions)) continue;
            (found ??= []).Add(package);
        }
        var names = found is null ? "" : string.Join(", ", found.Take(5).Select(p => p.Purl)) + (found.Count > 5 ? $" and {found.Count - 5} more" : "");
        return (Presence, found) switch
        {
            (ComponentPresence.Present, not null) => CriterionResult.Pass(Kind, $"Found {names}."),
            (ComponentPresence.Present, null) => CriterionResult.Fail(Kind, $"No package matches {Subject}."),
            (ComponentPresence.Absent, null) => CriterionResult.Pass(Kind, $"No package matches {Subject}."),
            _ => CriterionResult.Fail(Kind, $"{Subject} must be absent but the image has {names}.", packages: found),
        };
    }

    private string Subject => VersionRange is null ? $"'{Purl}'" : $"'{Purl}' in versions '{VersionRange}'";

    private VersionRange? ParsedRange() =>
        VersionRange is null ? null : Ranges.GetOrAdd(VersionRange, static text => Criteria.VersionRange.TryParse(text, out var r, out _) ? r : null);

    public override void Validate(string field, ValidationErrors errors)
    {
        var purlField = ValidationErrors.Child(field, "purl");
        if (string.IsNullOrWhiteSpace(Purl) || !Purl.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase) || Purl.IndexOf('/', 4) < 0)
        {
            errors.Add(purlField, $"'{Purl}' is not a package URL pattern: write 'pkg:type/namespace/name', '*' and '?' may stand for any characters.");
            return;
        }
        if (!Enum.IsDefined(Presence))
            errors.Add(ValidationErrors.Child(field, "presence"), "Presence is 'present' or 'absent'.");
        if (VersionRange is null) return;
        var rangeField = ValidationErrors.Child(field, "versionRange");
        if (!Criteria.VersionRange.TryParse(VersionRange, out var range, out var error))
        {
            errors.Add(rangeField, error!);
            return;
        }
        // With a literal type (pkg:npm/...), each bound must be a version that type's scheme can order.
        if (Purl.Contains('*', StringComparison.Ordinal) && Purl.IndexOf('*', StringComparison.Ordinal) < Purl.IndexOf('/', StringComparison.Ordinal)) return;
        try
        {
            var type = PackageUrl.Parse(Purl.Replace("*", "x", StringComparison.Ordinal).Replace("?", "x", StringComparison.Ordinal)).Type;
            foreach (var version in range!.Versions)
                if (!ValidationContext.Versions.IsValid(type, version))
                    errors.Add(rangeField, $"'{version}' is not a valid {type} version.");
        }
        catch (FormatException ex)
        {
            errors.Add(purlField, ex.Message);
        }
    }

    public override string Describe() => $"{Subject} {(Presence == ComponentPresence.Present ? "present" : "absent")}";
}
