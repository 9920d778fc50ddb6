using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Tests.Alpine;

/// <summary>Keeps everything a detector reports, for assertions.</summary>
internal sealed class RecordingSink : IDetectionSink
{
    public List<Package> Packages { get; } = [];
    public List<string> OwnedFiles { get; } = [];
    public List<(string Path, string Reason)> Problems { get; } = [];

    public void Package(Package package) => Packages.Add(package);
    public void Distribution(Distribution distribution, string path) { }
    public void OwnedFile(string path) => OwnedFiles.Add(path);
    public void Problem(string path, string reason) => Problems.Add((path, reason));
}
