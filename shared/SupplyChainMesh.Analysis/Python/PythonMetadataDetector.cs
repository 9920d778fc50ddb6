using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Python;

/// <summary>
/// Installed Python distributions, from their core metadata (RFC 822 style headers) as Trivy's python-pkg analyzer
/// reads them: wheel installs leave <c>*.dist-info/METADATA</c>, setuptools installs <c>*.egg-info/PKG-INFO</c> or a
/// single-file <c>*.egg-info</c>, zipped eggs unpacked to <c>EGG-INFO/PKG-INFO</c>.
/// The name is kept as written (PEP 503 normalisation is the matcher's business: feeds spell names their own way).
/// </summary>
public sealed class PythonMetadataDetector : IPackageDetector
{
    /// <summary>Metadata can embed the whole README as Description; a few MB is plenty.</summary>
    private const int MaxBytes = 16 * 1024 * 1024;

    public string Name => "python";

    public int Version => 1;

    public bool Wants(in LayerFile file)
    {
        var path = file.Path.AsSpan();
        return path.EndsWith(".dist-info/METADATA", StringComparison.Ordinal)
            || path.EndsWith(".egg-info/PKG-INFO", StringComparison.Ordinal)
            || path.EndsWith("EGG-INFO/PKG-INFO", StringComparison.Ordinal)
            || path.EndsWith(".egg-info", StringComparison.Ordinal);
    }

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        using var buffer = await PooledFileContent.ReadAsync(content, file.Length, MaxBytes, cancellationToken).ConfigureAwait(false);
        if (buffer is null)
        {
            sink.Problem(file.Path, $"Python metadata larger than {MaxBytes} bytes; skipped");
            return;
        }
        var metadata = CoreMetadata.Parse(buffer.Span);
        if (string.IsNullOrEmpty(metadata.Name) || string.IsNullOrEmpty(metadata.Version))
        {
            sink.Problem(file.Path, "Python metadata without Name or Version header");
            return;
        }
        sink.Package(new Package
        {
            Type = PurlType.PyPI,
            Name = metadata.Name,
            Version = metadata.Version,
            Licenses = metadata.Licenses(),
            Path = file.Path,
            Detector = Name,
        });
    }
}
