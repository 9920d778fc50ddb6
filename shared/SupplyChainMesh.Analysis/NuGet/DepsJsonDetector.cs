using System.Text.Json;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.NuGet;

/// <summary>
/// NuGet packages a .NET application loads, from its <c>*.deps.json</c> as Trivy's dotnet-deps analyzer reads it:
/// the <c>libraries</c> of type <c>package</c> (and the bundled runtime pack of self-contained apps, reported under the
/// runtime package's own name). Projects and reference assemblies are the app itself, not NuGet packages.
/// </summary>
/// <param name="runtimeAssetsOnly">
/// Keep only libraries the runtime target gives assets to (<c>runtime</c>, <c>runtimeTargets</c> or <c>native</c>), as
/// the newest Trivy does. Off by default: a package whose assets the shared framework supersedes (an empty target entry,
/// e.g. System.Text.Encodings.Web 4.5.0 on .NET 10) is still what the app declares, the ground truth of our test images
/// lists it, and the Trivy release we compare with reports it too.
/// </param>
public sealed class DepsJsonDetector(bool runtimeAssetsOnly = false) : IPackageDetector
{
    private const int MaxBytes = 32 * 1024 * 1024;
    private const string RuntimePackPrefix = "runtimepack.";

    public string Name => "dotnet-deps";

    public int Version => 1;

    public bool Wants(in LayerFile file) => file.Path.EndsWith(".deps.json", StringComparison.Ordinal);

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        using var buffer = await PooledFileContent.ReadAsync(content, file.Length, MaxBytes, cancellationToken).ConfigureAwait(false);
        if (buffer is null)
        {
            sink.Problem(file.Path, $"deps.json larger than {MaxBytes} bytes; skipped");
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.Memory, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            sink.Problem(file.Path, $"malformed deps.json: {ex.Message}");
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object)
            {
                sink.Problem(file.Path, "deps.json has no 'libraries' object");
                return;
            }
            var targetLibraries = runtimeAssetsOnly ? RuntimeTargetLibraries(root) : null;
            foreach (var library in libraries.EnumerateObject())
            {
                if (library.Value.ValueKind != JsonValueKind.Object
                    || !library.Value.TryGetProperty("type", out var typeElement)
                    || typeElement.ValueKind != JsonValueKind.String)
                {
                    continue;
                }
                var type = typeElement.GetString();
                var isPackage = string.Equals(type, "package", StringComparison.OrdinalIgnoreCase);
                var isRuntimePack = string.Equals(type, "runtimepack", StringComparison.OrdinalIgnoreCase);
                if (!isPackage && !isRuntimePack) continue;

                var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || slash == library.Name.Length - 1)
                {
                    sink.Problem(file.Path, $"library key '{library.Name}' is not 'Name/Version'");
                    continue;
                }
                if (targetLibraries is { } targets
                    && targets.TryGetProperty(library.Name, out var targetEntry)
                    && !HasRuntimeAssets(targetEntry))
                {
                    continue;
                }
                var name = library.Name[..slash];
                if (name.StartsWith(RuntimePackPrefix, StringComparison.OrdinalIgnoreCase)) name = name[RuntimePackPrefix.Length..];
                sink.Package(new Package
                {
                    Type = PurlType.NuGet,
                    Name = name,
                    Version = library.Name[(slash + 1)..],
                    Path = file.Path,
                    Detector = Name,
                });
            }
        }
    }

    /// <summary>The <c>targets</c> entry named by <c>runtimeTarget.name</c>, or null when absent (then every library counts).</summary>
    private static JsonElement? RuntimeTargetLibraries(JsonElement root)
    {
        if (root.TryGetProperty("runtimeTarget", out var runtimeTarget)
            && runtimeTarget.ValueKind == JsonValueKind.Object
            && runtimeTarget.TryGetProperty("name", out var nameElement)
            && nameElement.ValueKind == JsonValueKind.String
            && root.TryGetProperty("targets", out var targets)
            && targets.ValueKind == JsonValueKind.Object
            && targets.TryGetProperty(nameElement.GetString()!, out var libraries)
            && libraries.ValueKind == JsonValueKind.Object)
        {
            return libraries;
        }
        return null;
    }

    private static bool HasRuntimeAssets(JsonElement targetEntry)
    {
        if (targetEntry.ValueKind != JsonValueKind.Object) return true;
        foreach (var section in (ReadOnlySpan<string>)["runtime", "runtimeTargets", "native"])
        {
            if (targetEntry.TryGetProperty(section, out var assets) && !IsEmpty(assets)) return true;
        }
        return false;
    }

    private static bool IsEmpty(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => !element.EnumerateObject().Any(),
        JsonValueKind.Array => element.GetArrayLength() == 0,
        JsonValueKind.String => element.GetString()!.Length == 0,
        JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => true,
        _ => false,
    };
}
