using System.Text.Json;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Php;

/// <summary>
/// PHP packages Composer installed into a project, from <c>vendor/composer/installed.json</c> (Trivy's composer-vendor
/// analyzer): Composer 1 writes a JSON array of packages, Composer 2 an object whose <c>packages</c> holds that array.
/// Names are <c>vendor/package</c>: the vendor is the purl namespace.
/// </summary>
public sealed class ComposerInstalledDetector : IPackageDetector
{
    private const int MaxBytes = 64 * 1024 * 1024;

    public string Name => "composer";

    public int Version => 1;

    public bool Wants(in LayerFile file) =>
        file.FileName.SequenceEqual("installed.json")
        && (file.Path.EndsWith("/composer/installed.json", StringComparison.Ordinal) || file.Path == "composer/installed.json");

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        using var buffer = await PooledFileContent.ReadAsync(content, file.Length, MaxBytes, cancellationToken).ConfigureAwait(false);
        if (buffer is null)
        {
            sink.Problem(file.Path, $"installed.json larger than {MaxBytes} bytes; skipped");
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.Memory, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            sink.Problem(file.Path, $"malformed installed.json: {ex.Message}");
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            var packages = root.ValueKind switch
            {
                JsonValueKind.Array => root,
                JsonValueKind.Object when root.TryGetProperty("packages", out var p) && p.ValueKind == JsonValueKind.Array => p,
                _ => default,
            };
            if (packages.ValueKind != JsonValueKind.Array)
            {
                sink.Problem(file.Path, "installed.json is neither a package array (Composer 1) nor an object with 'packages' (Composer 2)");
                return;
            }
            foreach (var entry in packages.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object) continue;
                var fullName = StringProperty(entry, "name");
                var version = StringProperty(entry, "version");
                if (string.IsNullOrEmpty(fullName) || string.IsNullOrEmpty(version))
                {
                    sink.Problem(file.Path, $"package entry without name or version ({fullName ?? "no name"})");
                    continue;
                }
                var slash = fullName.IndexOf('/', StringComparison.Ordinal);
                sink.Package(new Package
                {
                    Type = PurlType.Composer,
                    Namespace = slash > 0 ? fullName[..slash] : null,
                    Name = slash > 0 ? fullName[(slash + 1)..] : fullName,
                    Version = version,
                    Licenses = Licenses(entry),
                    Path = file.Path,
                    Detector = Name,
                });
            }
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()?.Trim() : null;

    private static string[] Licenses(JsonElement entry)
    {
        if (!entry.TryGetProperty("license", out var license)) return [];
        return license.ValueKind switch
        {
            JsonValueKind.String when license.GetString() is { Length: > 0 } s => [s],
            JsonValueKind.Array => license.EnumerateArray()
                .Where(l => l.ValueKind == JsonValueKind.String && l.GetString() is { Length: > 0 })
                .Select(l => l.GetString()!)
                .ToArray(),
            _ => [],
        };
    }
}
