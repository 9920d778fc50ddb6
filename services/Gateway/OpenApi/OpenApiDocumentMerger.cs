using System.Text.Json.Nodes;

namespace SupplyChainMesh.Gateway.OpenApi;

/// <summary>
/// Merges the OpenAPI documents of the mesh's services into one document for the whole API. Paths are kept as the
/// services publish them (they already live under <c>/api/...</c>, which is what the gateway routes); only paths
/// under <c>/api</c> and <c>/auth</c> are taken. Component names that two services use for different schemas are
/// prefixed with the service's name, and that service's <c>$ref</c>s are rewritten to match.
/// </summary>
public static class OpenApiDocumentMerger
{
    private const string ComponentsPrefix = "#/components/";

    public sealed record Source(string Service, JsonObject Document);

    public static JsonObject Merge(IEnumerable<Source> sources, string title, string version)
    {
        var paths = new JsonObject();
        var components = new JsonObject();
        var tags = new JsonArray();
        var tagNames = new HashSet<string>(StringComparer.Ordinal);

        foreach (var source in sources)
        {
            var document = (JsonObject)source.Document.DeepClone();
            var renames = PlanRenames(source.Service, document, components);
            if (renames.Count > 0) RewriteRefs(document, renames);

            if (document["components"] is JsonObject theirComponents)
            {
                foreach (var (kind, entries) in theirComponents)
                {
                    if (entries is not JsonObject entryObject) continue;
                    var target = components[kind] as JsonObject ?? (JsonObject)(components[kind] = new JsonObject());
                    foreach (var (name, value) in entryObject.ToList())
                    {
                        var merged = renames.TryGetValue(ComponentsPrefix + kind + "/" + name, out var renamed) ? renamed[(ComponentsPrefix.Length + kind.Length + 1)..] : name;
                        if (!target.ContainsKey(merged)) target[merged] = value?.DeepClone();
                    }
                }
            }

            if (document["paths"] is JsonObject theirPaths)
            {
                foreach (var (path, item) in theirPaths)
                {
                    if (item is not JsonObject operations || !IsPublicPath(path)) continue;
                    var target = paths[path] as JsonObject ?? (JsonObject)(paths[path] = new JsonObject());
                    foreach (var (method, operation) in operations)
                        if (!target.ContainsKey(method)) target[method] = operation?.DeepClone();
                }
            }

            if (document["tags"] is JsonArray theirTags)
            {
                foreach (var tag in theirTags)
                    if (tag?["name"]?.GetValue<string>() is { } name && tagNames.Add(name)) tags.Add(tag.DeepClone());
            }
        }

        var result = new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject { ["title"] = title, ["version"] = version },
            ["paths"] = Sorted(paths),
        };
        if (components.Count > 0) result["components"] = components;
        if (tags.Count > 0) result["tags"] = tags;
        return result;
    }

    private static bool IsPublicPath(string path) =>
        path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/auth/", StringComparison.Ordinal);

    /// <summary>A component whose name is taken by a different definition gets the service's name in front.</summary>
    private static Dictionary<string, string> PlanRenames(string service, JsonObject document, JsonObject mergedComponents)
    {
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document["components"] is not JsonObject theirComponents) return renames;
        var prefix = string.Concat(service.Where(char.IsLetterOrDigit));
        foreach (var (kind, entries) in theirComponents)
        {
            if (entries is not JsonObject entryObject || mergedComponents[kind] is not JsonObject existing) continue;
            foreach (var (name, value) in entryObject)
            {
                if (existing[name] is not { } taken || JsonNode.DeepEquals(taken, value)) continue;
                var candidate = prefix + name;
                for (var n = 2; existing.ContainsKey(candidate); n++) candidate = prefix + name + n;
                renames[ComponentsPrefix + kind + "/" + name] = ComponentsPrefix + kind + "/" + candidate;
            }
        }
        return renames;
    }

    private static void RewriteRefs(JsonNode? node, Dictionary<string, string> renames)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "$ref" && value is JsonValue v && v.TryGetValue<string>(out var reference) && renames.TryGetValue(reference, out var renamed))
                        obj[key] = renamed;
                    else
                        RewriteRefs(value, renames);
                }
                break;
            case JsonArray array:
                foreach (var item in array) RewriteRefs(item, renames);
                break;
        }
    }

    private static JsonObject Sorted(JsonObject paths)
    {
        var sorted = new JsonObject();
        foreach (var (path, item) in paths.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
        {
            paths.Remove(path);
            sorted[path] = item;
        }
        return sorted;
    }
}
