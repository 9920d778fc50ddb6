using System.Text;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Tests.Layers;

/// <summary>
/// A detector for the layer machinery's tests: wants files named <c>*.pkg</c>, whose content is "name version"
/// lines, and reports each line as an npm package read from that file.
/// </summary>
internal sealed class LinePackageDetector : IPackageDetector
{
    public List<string> Seen { get; } = [];

    public string Name => "lines";

    public int Version => 1;

    public bool Wants(in LayerFile file) => file.Path.EndsWith(".pkg", StringComparison.Ordinal);

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        Seen.Add(file.Path);
        using var reader = new StreamReader(content, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                sink.Problem(file.Path, $"bad line '{line}'");
                continue;
            }
            sink.Package(new Package { Type = PurlType.Npm, Name = parts[0], Version = parts[1], Path = file.Path, Detector = Name });
        }
    }
}
