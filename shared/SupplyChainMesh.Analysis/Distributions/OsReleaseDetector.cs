using System.Collections.Frozen;
using System.Text;
using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Analysis.Distributions;

/// <summary>
/// Reports the distribution named by <c>etc/os-release</c>, <c>usr/lib/os-release</c> and the older release files.
/// Every file found is reported; the layer and the squash keep the most trustworthy (<see cref="DistributionRank"/>).
/// </summary>
public sealed class OsReleaseDetector : IPackageDetector
{
    /// <summary>Release files are a few hundred bytes; anything larger is not one.</summary>
    private const int MaxReleaseFileBytes = 64 * 1024;

    private static readonly FrozenSet<string> ReleaseFiles = FrozenSet.ToFrozenSet(
    [
        "etc/os-release", "usr/lib/os-release", "etc/lsb-release", "etc/debian_version", "etc/alpine-release",
        "etc/redhat-release", "etc/centos-release", "etc/oracle-release", "etc/fedora-release",
        "etc/almalinux-release", "etc/rocky-release",
    ], StringComparer.Ordinal);

    private static readonly int LongestPath = ReleaseFiles.Max(p => p.Length);

    public string Name => "os-release";

    public int Version => 1;

    public bool Wants(in LayerFile file) =>
        file.Path.Length <= LongestPath && (file.Path[0] is 'e' or 'u') && ReleaseFiles.Contains(file.Path);

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (file.Length > MaxReleaseFileBytes)
        {
            sink.Problem(file.Path, $"{file.Length} bytes is too large for a release file; ignored");
            return;
        }
        using var bytes = await FileContent.ReadAsync(content, file.Length, cancellationToken).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(bytes.Span);
        if (ReleaseFileParser.Parse(file.Path, text) is { } distribution) sink.Distribution(distribution, file.Path);
        else if (file.Path.EndsWith("os-release", StringComparison.Ordinal))
            sink.Problem(file.Path, "the os-release file has no ID");
    }
}
