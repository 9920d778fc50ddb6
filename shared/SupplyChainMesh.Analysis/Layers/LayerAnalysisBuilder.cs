using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>Collects what the detectors report while one layer is read, then builds its <see cref="LayerAnalysis"/>.</summary>
internal sealed class LayerAnalysisBuilder : IDetectionSink
{
    private readonly List<Package> _packages = [];
    private readonly List<string> _scannedFiles = [];
    private readonly HashSet<string> _ownedFiles = new(StringComparer.Ordinal);
    private readonly List<(Distribution Distribution, string Path)> _distributions = [];
    private readonly List<string> _whiteouts = [];
    private readonly List<string> _opaqueDirectories = [];
    private readonly List<LayerProblem> _problems = [];

    public void Package(Package package)
    {
        ArgumentNullException.ThrowIfNull(package);
        _packages.Add(package);
    }

    public void Distribution(Distribution distribution, string path)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        _distributions.Add((distribution, path));
    }

    public void OwnedFile(string path)
    {
        if (TarPath.TryNormalize(path, out var normalized) && normalized.Length > 0) _ownedFiles.Add(normalized);
    }

    public void Problem(string path, string reason) => _problems.Add(new LayerProblem(path, reason));

    public void ScannedFile(string path) => _scannedFiles.Add(path);

    public void Whiteout(string path) => _whiteouts.Add(path);

    public void OpaqueDirectory(string path) => _opaqueDirectories.Add(path);

    public LayerAnalysis Build(string digest, string analyzerVersion, LayerCompression compression, LayerStats stats)
    {
        var best = _distributions.Count == 0
            ? default
            : _distributions.MinBy(d => DistributionRank.Of(d.Path));
        return new LayerAnalysis
        {
            Digest = digest,
            AnalyzerVersion = analyzerVersion,
            Compression = compression,
            Packages = _packages.ToArray(),
            ScannedFiles = _scannedFiles.ToArray(),
            OsOwnedFiles = _ownedFiles.Order(StringComparer.Ordinal).ToArray(),
            Distribution = best.Distribution,
            DistributionPath = best.Path,
            Whiteouts = _whiteouts.ToArray(),
            OpaqueDirectories = _opaqueDirectories.ToArray(),
            Problems = _problems.ToArray(),
            Stats = stats,
        };
    }
}
