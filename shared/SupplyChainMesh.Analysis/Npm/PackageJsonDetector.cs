using System.Text.Json;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Npm;

/// <summary>
/// Installed npm packages: every <c>node_modules/**/package.json</c> that carries a name and a version, as Trivy's
/// node-pkg analyzer reads images (lock files describe what was meant to be installed; package.json is what is there).
/// package.json files outside node_modules are the application's own manifest and are not packages of the image.
/// </summary>
public sealed class PackageJsonDetector : IPackageDetector
{
    /// <summary>package.json files are small; a larger one is not a manifest we should parse in memory.</summary>
    private const int MaxBytes = 8 * 1024 * 1024;

    public string Name => "npm";

    public int Version => 1;

    public bool Wants(in LayerFile file) =>
        file.FileName.SequenceEqual("package.json")
        && (file.Path.StartsWith("node_modules/", StringComparison.Ordinal) || file.Path.Contains("/node_modules/", StringComparison.Ordinal));

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        using var buffer = await PooledFileContent.ReadAsync(content, file.Length, MaxBytes, cancellationToken).ConfigureAwait(false);
        if (buffer is null)
        {
            sink.Problem(file.Path, $"package.json larger than {MaxBytes} bytes; skipped");
            return;
        }
        if (!PackageJson.TryRead(buffer.Span, out var manifest, out var error))
        {
            sink.Problem(file.Path, error);
            return;
        }
        // Nested package.json files without identity are common (e.g. "{ "type": "module" }" in a package's lib/);
        // they are not packages, so they are skipped silently.
        if (string.IsNullOrEmpty(manifest.Name) || string.IsNullOrEmpty(manifest.Version)) return;

        string? scope = null;
        var name = manifest.Name;
        if (name[0] == '@')
        {
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 1 || slash == name.Length - 1)
            {
                sink.Problem(file.Path, $"scoped package name '{name}' has no '@scope/name' form");
                return;
            }
            scope = name[..slash];
            name = name[(slash + 1)..];
        }
        sink.Package(new Package
        {
            Type = PurlType.Npm,
            Namespace = scope,
            Name = name,
            Version = manifest.Version,
            Licenses = manifest.Licenses,
            Path = file.Path,
            Detector = Name,
        });
    }
}
