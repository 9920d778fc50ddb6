using System.Globalization;
using System.Text.Json;

namespace SupplyChainMesh.Policy.Vex;

/// <summary>
/// Reads OpenVEX documents (v0.2.0; the earlier string-valued <c>vulnerability</c>/<c>products</c> forms too) into
/// statements. Statement timestamps inherit the document's, as the spec's inheritance rules say.
/// </summary>
public static class OpenVexParser
{
    public static bool IsOpenVex(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("@context", out var context) &&
        context.ValueKind == JsonValueKind.String && (context.GetString() ?? "").StartsWith(VexDocuments.OpenVexNamespace, StringComparison.Ordinal);

    public static IReadOnlyList<VexStatement> Parse(JsonElement root)
    {
        if (!IsOpenVex(root))
            throw new VexFormatException("Not an OpenVEX document: '@context' must be an https://openvex.dev/ns URL.");
        var documentId = OptionalString(root, "@id");
        var author = OptionalString(root, "author");
        var documentTime = OptionalTime(root, "timestamp", "the document");
        if (!root.TryGetProperty("statements", out var statements) || statements.ValueKind != JsonValueKind.Array)
            throw new VexFormatException("An OpenVEX document needs a 'statements' array.");
        var result = new List<VexStatement>();
        var index = 0;
        foreach (var statement in statements.EnumerateArray())
        {
            var where = $"statements[{index++}]";
            if (statement.ValueKind != JsonValueKind.Object)
                throw new VexFormatException($"{where} is not an object.");
            var (id, aliases) = Vulnerability(statement, where);
            var statusText = OptionalString(statement, "status") ?? throw new VexFormatException($"{where} has no 'status'.");
            var status = statusText switch
            {
                "not_affected" => VexStatus.NotAffected,
                "affected" => VexStatus.Affected,
                "fixed" => VexStatus.Fixed,
                "under_investigation" => VexStatus.UnderInvestigation,
                _ => throw new VexFormatException($"{where}.status '{statusText}' is not one of not_affected, affected, fixed, under_investigation."),
            };
            var justification = OptionalString(statement, "justification");
            var impact = OptionalString(statement, "impact_statement");
            if (status == VexStatus.NotAffected && justification is null && impact is null)
                throw new VexFormatException($"{where} is not_affected without a 'justification' or 'impact_statement', which OpenVEX requires.");
            result.Add(new VexStatement
            {
                VulnerabilityId = id,
                Aliases = aliases,
                Products = Products(statement, where),
                Status = status,
                Justification = justification,
                ImpactStatement = impact,
                ActionStatement = OptionalString(statement, "action_statement"),
                Timestamp = OptionalTime(statement, "timestamp", where) ?? documentTime,
                DocumentId = documentId,
                Author = author,
            });
        }
        return result;
    }

    private static (string Id, IReadOnlyList<string> Aliases) Vulnerability(JsonElement statement, string where)
    {
        if (!statement.TryGetProperty("vulnerability", out var v))
            throw new VexFormatException($"{where} has no 'vulnerability'.");
        if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } plain)
            return (plain, []);
        if (v.ValueKind != JsonValueKind.Object)
            throw new VexFormatException($"{where}.vulnerability is neither an object nor a string.");
        var name = OptionalString(v, "name") ?? OptionalString(v, "@id") ?? throw new VexFormatException($"{where}.vulnerability has no 'name'.");
        var aliases = new List<string>();
        if (v.TryGetProperty("aliases", out var a) && a.ValueKind == JsonValueKind.Array)
            aliases.AddRange(a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!));
        return (name, aliases);
    }

    private static List<VexProduct> Products(JsonElement statement, string where)
    {
        var products = new List<VexProduct>();
        if (!statement.TryGetProperty("products", out var list) || list.ValueKind != JsonValueKind.Array)
            return products;
        // v0.0.x: "subcomponents" sat beside "products" as strings and applied to all of them.
        var sharedSubcomponents = Identifiers(statement, "subcomponents");
        foreach (var product in list.EnumerateArray())
        {
            if (product.ValueKind == JsonValueKind.String)
            {
                products.Add(new VexProduct(product.GetString()!, sharedSubcomponents));
                continue;
            }
            if (product.ValueKind != JsonValueKind.Object)
                throw new VexFormatException($"{where}.products holds a {product.ValueKind}, not a product.");
            foreach (var id in ComponentIds(product))
                products.Add(new VexProduct(id, [.. Identifiers(product, "subcomponents"), .. sharedSubcomponents]));
        }
        return products;
    }

    // A component is named by its @id and/or identifiers.purl; either identifies it.
    private static IEnumerable<string> ComponentIds(JsonElement component)
    {
        if (OptionalString(component, "@id") is { } id) yield return id;
        if (component.TryGetProperty("identifiers", out var ids) && ids.ValueKind == JsonValueKind.Object)
            foreach (var p in ids.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { } value && value != OptionalString(component, "@id"))
                    yield return value;
    }

    private static List<string> Identifiers(JsonElement owner, string property)
    {
        var ids = new List<string>();
        if (!owner.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array) return ids;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String) ids.Add(item.GetString()!);
            else if (item.ValueKind == JsonValueKind.Object) ids.AddRange(ComponentIds(item));
        }
        return ids;
    }

    internal static string? OptionalString(JsonElement owner, string property) =>
        owner.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    internal static DateTimeOffset? OptionalTime(JsonElement owner, string property, string where)
    {
        if (OptionalString(owner, property) is not { } text) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new VexFormatException($"{where}.{property} '{text}' is not an RFC 3339 timestamp.");
    }
}
