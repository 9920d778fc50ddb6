using System.Text.Json;

namespace SupplyChainMesh.Policy.Admission;

/// <summary>
/// Finds the images a Kubernetes object will run: a Pod's containers, init containers and ephemeral containers;
/// the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController or Job
/// (<c>spec.template.spec</c>); a CronJob's job template (<c>spec.jobTemplate.spec.template.spec</c>).
/// </summary>
public static class WorkloadImages
{
    public static bool IsWorkloadKind(string? kind) => PodSpecPath(kind) is not null;

    /// <summary>The path of the pod spec inside an object of <paramref name="kind"/>, or null for kinds that run no pods.</summary>
    public static string[]? PodSpecPath(string? kind) => kind switch
    {
        "Pod" => ["spec"],
        "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "ReplicationController" or "Job" => ["spec", "template", "spec"],
        "CronJob" => ["spec", "jobTemplate", "spec", "template", "spec"],
        _ => null,
    };

    /// <summary>
    /// The images of <paramref name="obj"/>. Returns false with a reason when the object is not shaped as its kind
    /// says (no pod spec, a container without an image).
    /// </summary>
    public static bool TryExtract(string kind, JsonElement obj, out IReadOnlyList<ContainerImage> images, out string? problem)
    {
        images = [];
        problem = null;
        if (PodSpecPath(kind) is not { } path)
        {
            problem = $"Objects of kind '{kind}' run no pods.";
            return false;
        }
        if (obj.ValueKind != JsonValueKind.Object)
        {
            problem = $"The {kind} object is not a JSON object.";
            return false;
        }
        var spec = obj;
        foreach (var segment in path)
        {
            if (!spec.TryGetProperty(segment, out spec) || spec.ValueKind != JsonValueKind.Object)
            {
                problem = $"The {kind} has no pod spec at '{string.Join('.', path)}'.";
                return false;
            }
        }
        var found = new List<ContainerImage>();
        var prefix = string.Join('.', path);
        if (!Collect(spec, "initContainers", ContainerKind.InitContainer, prefix, found, out problem) ||
            !Collect(spec, "containers", ContainerKind.Container, prefix, found, out problem) ||
            !Collect(spec, "ephemeralContainers", ContainerKind.EphemeralContainer, prefix, found, out problem))
            return false;
        images = found;
        return true;
    }

    private static bool Collect(JsonElement spec, string property, ContainerKind kind, string prefix, List<ContainerImage> found, out string? problem)
    {
        problem = null;
        if (!spec.TryGetProperty(property, out var list) || list.ValueKind == JsonValueKind.Null) return true;
        if (list.ValueKind != JsonValueKind.Array)
        {
            problem = $"'{prefix}.{property}' is not a list.";
            return false;
        }
        var i = 0;
        foreach (var container in list.EnumerateArray())
        {
            var at = $"{prefix}.{property}[{i++}]";
            if (container.ValueKind != JsonValueKind.Object)
            {
                problem = $"'{at}' is not a container.";
                return false;
            }
            var name = container.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : $"#{i - 1}";
            if (!container.TryGetProperty("image", out var image) || image.ValueKind != JsonValueKind.String || image.GetString() is not { Length: > 0 } text)
            {
                problem = $"Container '{name}' at '{at}' has no image.";
                return false;
            }
            found.Add(new ContainerImage(kind, name, text, $"{at}.image"));
        }
        return true;
    }

    /// <summary>
    /// The label sets a rule's object selector is matched against: the object's own labels and, for a workload, the
    /// labels of its pod template (<c>spec.template.metadata.labels</c>; a CronJob's
    /// <c>spec.jobTemplate.spec.template.metadata.labels</c>). A selector written for pods (<c>tier=backend</c>) thus
    /// applies to the Deployment that creates them, whose own labels often differ.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> LabelSets(string kind, JsonElement obj)
    {
        var own = Labels(obj);
        if (PodSpecPath(kind) is not { Length: > 1 } path) return [own];
        var template = obj;
        foreach (var segment in path.AsSpan(0, path.Length - 1))
        {
            if (template.ValueKind != JsonValueKind.Object || !template.TryGetProperty(segment, out template)) return [own];
        }
        return [own, Labels(template)];
    }

    /// <summary>The object's own labels (<c>metadata.labels</c>), empty when it has none.</summary>
    public static IReadOnlyDictionary<string, string> Labels(JsonElement obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object &&
            metadata.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in l.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String) labels[p.Name] = p.Value.GetString()!;
        }
        return labels;
    }
}
