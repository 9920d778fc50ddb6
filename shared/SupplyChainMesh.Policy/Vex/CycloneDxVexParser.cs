using System.Text.Json;

namespace SupplyChainMesh.Policy.Vex;

/// <summary>
/// Reads the VEX part of CycloneDX documents (1.4 to 1.6 JSON): each <c>vulnerabilities[]</c> entry with an
/// <c>analysis.state</c> becomes a statement about the components its <c>affects[].ref</c> point to.
/// States map onto OpenVEX: not_affected and false_positive → not_affected, resolved(_with_pedigree) → fixed,
/// exploitable → affected, in_triage → under_investigation. Refs resolve through <c>bom-ref</c>s of the document's
/// components (and metadata.component) to purls; BOM-Links (<c>urn:cdx:serial/version#ref</c>) use the part after '#'.
/// </summary>
public static class CycloneDxVexParser
{
    public static bool IsCycloneDx(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && OpenVexParser.OptionalString(root, "bomFormat") == "CycloneDX";

    public static IReadOnlyList<VexStatement> Parse(JsonElement root)
    {
        if (!IsCycloneDx(root))
            throw new VexFormatException("Not a CycloneDX document: 'bomFormat' must be \"CycloneDX\".");
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            if (metadata.TryGetProperty("component", out var subject)) CollectRefs(subject, refs);
        }
        if (root.TryGetProperty("components", out var components) && components.ValueKind == JsonValueKind.Array)
            foreach (var c in components.EnumerateArray()) CollectRefs(c, refs);
        var documentTime = metadata.ValueKind == JsonValueKind.Object ? OpenVexParser.OptionalTime(metadata, "timestamp", "metadata") : null;
        var serial = OpenVexParser.OptionalString(root, "serialNumber");

        var statements = new List<VexStatement>();
        if (!root.TryGetProperty("vulnerabilities", out var vulnerabilities)) return statements;
        if (vulnerabilities.ValueKind != JsonValueKind.Array)
            throw new VexFormatException("'vulnerabilities' must be an array.");
        var index = 0;
        foreach (var v in vulnerabilities.EnumerateArray())
        {
            var where = $"vulnerabilities[{index++}]";
            if (v.ValueKind != JsonValueKind.Object) throw new VexFormatException($"{where} is not an object.");
            if (!v.TryGetProperty("analysis", out var analysis) || analysis.ValueKind != JsonValueKind.Object) continue;
            var state = OpenVexParser.OptionalString(analysis, "state");
            if (state is null) continue;
            var id = OpenVexParser.OptionalString(v, "id") ?? throw new VexFormatException($"{where} has an analysis but no 'id'.");
            var status = state switch
            {
                "not_affected" or "false_positive" => VexStatus.NotAffected,
                "resolved" or "resolved_with_pedigree" => VexStatus.Fixed,
                "exploitable" => VexStatus.Affected,
                "in_triage" => VexStatus.UnderInvestigation,
                _ => throw new VexFormatException($"{where}.analysis.state '{state}' is not a CycloneDX impact analysis state."),
            };
            var aliases = new List<string>();
            if (v.TryGetProperty("references", out var references) && references.ValueKind == JsonValueKind.Array)
                foreach (var r in references.EnumerateArray())
                    if (r.ValueKind == JsonValueKind.Object && OpenVexParser.OptionalString(r, "id") is { } alias) aliases.Add(alias);
            var products = new List<VexProduct>();
            if (v.TryGetProperty("affects", out var affects) && affects.ValueKind == JsonValueKind.Array)
                foreach (var a in affects.EnumerateArray())
                    if (a.ValueKind == JsonValueKind.Object && OpenVexParser.OptionalString(a, "ref") is { } reference)
                        products.Add(new VexProduct(Resolve(reference, refs)));
            if (products.Count == 0)
                throw new VexFormatException($"{where} ({id}) has an analysis but no 'affects' refs: it says nothing about any product.");
            statements.Add(new VexStatement
            {
                VulnerabilityId = id,
                Aliases = aliases,
                Products = products,
                Status = status,
                Justification = OpenVexParser.OptionalString(analysis, "justification") ?? (state == "false_positive" ? "false_positive" : null),
                ImpactStatement = OpenVexParser.OptionalString(analysis, "detail"),
                ActionStatement = analysis.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Array
                    ? string.Join(", ", response.EnumerateArray().Select(x => x.GetString())) : null,
                Timestamp = OpenVexParser.OptionalTime(analysis, "lastUpdated", $"{where}.analysis")
                    ?? OpenVexParser.OptionalTime(v, "updated", where) ?? documentTime,
                DocumentId = serial,
            });
        }
        return statements;
    }

    private static string Resolve(string reference, Dictionary<string, string> refs)
    {
        var local = reference.StartsWith("urn:cdx:", StringComparison.Ordinal) && reference.IndexOf('#', StringComparison.Ordinal) is var hash and > 0
            ? Uri.UnescapeDataString(reference[(hash + 1)..])
            : reference;
        return refs.TryGetValue(local, out var purl) ? purl : local;
    }

    private static void CollectRefs(JsonElement component, Dictionary<string, string> refs)
    {
        if (component.ValueKind != JsonValueKind.Object) return;
        var bomRef = OpenVexParser.OptionalString(component, "bom-ref");
        var purl = OpenVexParser.OptionalString(component, "purl");
        if (bomRef is not null && purl is not null) refs[bomRef] = purl;
        if (component.TryGetProperty("components", out var nested) && nested.ValueKind == JsonValueKind.Array)
            foreach (var c in nested.EnumerateArray()) CollectRefs(c, refs);
    }
}
