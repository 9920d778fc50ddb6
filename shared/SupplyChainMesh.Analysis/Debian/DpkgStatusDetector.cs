using System.Text;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Debian;

/// <summary>
/// Debian and Ubuntu packages from dpkg's database: <c>var/lib/dpkg/status</c>, the one-stanza files of distroless
/// images in <c>var/lib/dpkg/status.d/</c> (no Status field: installed by convention; <c>*.md5sums</c> beside them
/// skipped), and the files each package owns from <c>var/lib/dpkg/info/*.list</c> (so language packages that dpkg
/// installed are not reported twice). Namespace and distro qualifier are filled in by the squash from the image's
/// distribution.
/// </summary>
public sealed class DpkgStatusDetector : IPackageDetector
{
    private const string StatusFile = "var/lib/dpkg/status";
    private const string StatusDirectory = "var/lib/dpkg/status.d/";
    private const string InfoDirectory = "var/lib/dpkg/info/";

    public string Name => "dpkg";

    public int Version => 1;

    public bool Wants(in LayerFile file)
    {
        var path = file.Path;
        if (path.Length < StatusFile.Length || path[0] != 'v' || !path.StartsWith("var/lib/dpkg/", StringComparison.Ordinal))
            return false;
        if (path.Length == StatusFile.Length) return path == StatusFile;
        if (path.StartsWith(StatusDirectory, StringComparison.Ordinal))
            return path.IndexOf('/', StatusDirectory.Length) < 0 && !path.EndsWith(".md5sums", StringComparison.Ordinal);
        return path.StartsWith(InfoDirectory, StringComparison.Ordinal)
               && path.EndsWith(".list", StringComparison.Ordinal)
               && path.IndexOf('/', InfoDirectory.Length) < 0;
    }

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var bytes = await FileContent.ReadAsync(content, file.Length, cancellationToken).ConfigureAwait(false);
        if (file.Path.StartsWith(InfoDirectory, StringComparison.Ordinal))
        {
            ReportOwnedFiles(bytes.Span, sink);
            return;
        }

        var problems = new List<string>();
        var entries = DpkgStatusParser.ParseInstalled(bytes.Span, problems);
        foreach (var problem in problems) sink.Problem(file.Path, problem);
        foreach (var entry in entries)
        {
            sink.Package(new Package
            {
                Type = PurlType.Deb,
                Name = entry.Name,
                Version = entry.Version,
                SourceName = entry.SourceName,
                SourceVersion = entry.SourceVersion,
                Arch = entry.Architecture,
                Path = file.Path,
                Detector = Name,
            });
        }
    }

    /// <summary>A .list file holds one absolute path per line ("/." first).</summary>
    private static void ReportOwnedFiles(ReadOnlySpan<byte> list, IDetectionSink sink)
    {
        foreach (var range in list.Split((byte)'\n'))
        {
            var line = list[range];
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
            // Strip the leading '/' here so the path arrives normalised and costs one string.
            while (!line.IsEmpty && line[0] == (byte)'/') line = line[1..];
            if (line.IsEmpty || line is [(byte)'.']) continue;
            sink.OwnedFile(Encoding.UTF8.GetString(line));
        }
    }
}
